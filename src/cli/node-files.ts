/**
 * Node's side of the binary weight files: a file handle as a ByteSource (read a range at a time, so a
 * 553 MB .netcanvas is never one buffer), and chunks written to a file in order.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../graph/byte-source.ts';

/** Each read gets its own buffer, so the weight reader can view it as a Float32Array without a copy. */
export function fileSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const out = new Uint8Array(length);
      for (let done = 0; done < length; ) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`the file ended at ${offset + done} bytes while reading up to ${offset + length}`);
        done += bytesRead;
      }
      return out;
    },
  };
}

/**
 * Writes `chunks` one after another and answers the bytes written (a .netcanvas from netcanvasChunks, an
 * export's weights.npz made piece by piece: the file is never joined in memory).
 */
export async function writeChunks(path: string, chunks: Iterable<Uint8Array>): Promise<number> {
  const handle = await open(path, 'w');
  let total = 0;
  try {
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.byteLength; ) done += (await handle.write(chunk, done, chunk.byteLength - done)).bytesWritten;
      total += chunk.byteLength;
    }
  } finally {
    await handle.close();
  }
  return total;
}
