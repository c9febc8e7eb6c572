/**
 * Hostile share links for tests and benchmarks: lz-string data (URI-safe alphabet) whose every code means
 * "the previous string plus its first letter again", so `k` codes decompress to about k²/2 characters
 * and lz-string's dictionary grows with them. Written bit by bit as lz-string's decoder reads them.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

/** lz-string reads each value least significant bit first, six bits to a character, high bit first. */
class BitWriter {
  private readonly bits: number[] = [];
  write(value: number, width: number): void {
    for (let i = 0; i < width; i++) this.bits.push((value >> i) & 1);
  }
  get chars(): number {
    return Math.ceil(this.bits.length / 6);
  }
  text(): string {
    let out = '';
    for (let i = 0; i < this.bits.length; i += 6) {
      let v = 0;
      for (let j = 0; j < 6; j++) v = (v << 1) | (this.bits[i + j] ?? 0);
      out += ALPHABET[v];
    }
    return `${out}A`; // the decoder reads one character ahead
  }
}

/** A link payload of about `chars` characters that decompresses quadratically (then ends properly). */
export function bombLink(chars: number): string {
  const out = new BitWriter();
  out.write(0, 2); // an 8-bit character follows
  out.write('a'.charCodeAt(0), 8);
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  while (out.chars < chars - 4) {
    out.write(dictSize, numBits); // the code not yet in the dictionary: w + w[0]
    dictSize++;
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
  out.write(2, numBits); // end of stream
  return out.text();
}
