/**
 * Random access to the bytes of a file without holding all of it: a browser File (Blob.slice), a Node
 * file handle, or bytes already in memory. The weight readers take one of these so a 553 MB VGG-16 file is
 * read a tensor at a time, never as one buffer or one string.
 */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes from `offset`; the readers check ranges against `size` first. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.byteLength, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/** A Blob (a File from the picker or a drop): each read is a slice, so only that range is loaded. */
export function blobSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()) };
}

export const isNetcanvasName = (name: string) => name.toLowerCase().endsWith('.netcanvas');
/** A zip's first bytes ("PK\x03\x04"): how the readers tell a .netcanvas from JSON whatever its name. */
export const startsLikeZip = (head: Uint8Array) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

/** Chunks joined into one buffer, for the few places that need one (a test, an .npz in memory). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
