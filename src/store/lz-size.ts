/**
 * How long a share link's text is, measured before lz-string decompresses it. lz-string's format does not
 * state its size, and each code may stand for the previous string plus one letter, so `k` codes can mean
 * k²/2 characters: a 0.3 MB link asks for gigabytes, and lz-string builds them all before anyone can look.
 * This runs lz-string's decoder (`_decompress` with the URI-safe alphabet, lz-string 1.5) on lengths
 * instead of strings: linear time, memory of one number per code, and it stops as soon as the text would
 * exceed the limit. The app decompresses only what it has measured.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE: ReadonlyMap<string, number> = new Map([...ALPHABET].map((ch, i) => [ch, i]));

/** lz-string's bit reader: six bits a character, high bit first; unknown characters (and the end) read as 0. */
class BitReader {
  private value: number;
  private position = 32;
  /** Characters consumed so far (lz-string's `data.index`). */
  index = 1;
  constructor(private readonly text: string) {
    this.value = this.valueAt(0);
  }
  private valueAt(i: number): number {
    // lz-string turns spaces back into '+' (a '+' in a URL can arrive as a space).
    const ch = this.text.charAt(i);
    return VALUE.get(ch === ' ' ? '+' : ch) ?? 0;
  }
  /** `width` bits, least significant first, as lz-string assembles a value. */
  read(width: number): number {
    let bits = 0;
    for (let i = 0; i < width; i++) {
      const bit = this.value & this.position;
      this.position >>= 1;
      if (this.position === 0) {
        this.position = 32;
        this.value = this.valueAt(this.index++);
      }
      if (bit) bits += 2 ** i;
    }
    return bits;
  }
}

/**
 * The length of the text `LZString.decompressFromEncodedURIComponent(payload)` returns, or a number over
 * `limit` as soon as it would exceed it, or null when lz-string would return null or an empty string
 * (not compressed data, or cut short).
 */
export function lzTextLength(payload: string, limit: number): number | null {
  if (payload === '') return null;
  const input = new BitReader(payload);
  const first = input.read(2);
  // 2 is empty data. 3 is never written by lz-string: its decoder then reads on with an undefined first
  // entry and returns fragments of the word "undefined" or throws, so it is refused here as noise.
  if (first > 1) return null;
  input.read(first === 0 ? 8 : 16);
  // Lengths of the dictionary's entries; 0–2 are lz-string's control codes, entry 3 the first letter.
  const lengths: number[] = [0, 0, 0, 1];
  let previous = 1;
  let total = 1;
  let numBits = 3;
  let enlargeIn = 4;
  const grow = () => {
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  };
  for (;;) {
    if (input.index > payload.length) return null;
    let code = input.read(numBits);
    if (code === 2) return total;
    if (code < 2) {
      input.read(code === 0 ? 8 : 16);
      lengths.push(1);
      code = lengths.length - 1;
      grow();
    }
    let entry: number;
    if (code < lengths.length) entry = lengths[code];
    else if (code === lengths.length) entry = previous + 1;
    else return null;
    total += entry;
    if (total > limit) return total;
    lengths.push(previous + 1);
    grow();
    previous = entry;
  }
}
