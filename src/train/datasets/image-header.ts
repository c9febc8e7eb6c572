/**
 * The size and colour of an image file as its header declares them (PNG, JPEG, GIF, BMP, WebP), read
 * from the first bytes without decoding, and the spread of sizes over a whole folder: what the data
 * summary and the fit check tell the user before anything is resized. Pure.
 */

export interface ImageHeader {
  readonly width: number;
  readonly height: number;
  /** Colour or gray as the file declares it; null when the format does not say (GIF, WebP, BMP). */
  readonly color: boolean | null;
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);
const i32le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

export function readImageHeader(b: Uint8Array): ImageHeader | null {
  if (b.length >= 26 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') {
    // IHDR: width, height, bit depth, colour type (0 gray, 4 gray+alpha; 2, 3, 6 colour).
    const type = b[25];
    return { width: u32be(b, 16), height: u32be(b, 20), color: type !== 0 && type !== 4 };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegHeader(b);
  if (b.length >= 10 && ascii(b, 0, 3) === 'GIF') return { width: u16le(b, 6), height: u16le(b, 8), color: null };
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)), color: null };
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webpHeader(b);
  return null;
}

/** The first start-of-frame segment carries height, width and the component count (1 = gray). */
function jpegHeader(b: Uint8Array): ImageHeader | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: u16be(b, i + 5), width: u16be(b, i + 7), color: b[i + 9] >= 3 };
    i += 2 + u16be(b, i + 2);
  }
  return null;
}

function webpHeader(b: Uint8Array): ImageHeader | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return { width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)), color: null };
  if (chunk === 'VP8 ') return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, color: null };
  if (chunk === 'VP8L') {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), color: null };
  }
  return null;
}

/** The images a folder held, before resizing: the range of sizes and how many are colour or gray. */
export interface FoundImages {
  readonly minHeight: number;
  readonly maxHeight: number;
  readonly minWidth: number;
  readonly maxWidth: number;
  /** Distinct H×W sizes. */
  readonly sizes: number;
  readonly color: number;
  readonly gray: number;
  /** Sized, but their colour is not declared (GIF, BMP, WebP). */
  readonly colorUnknown: number;
  /** Files whose header this reader does not understand (not counted in the sizes). */
  readonly unreadable: number;
}

export function summarizeHeaders(headers: readonly (ImageHeader | null)[]): FoundImages | null {
  const known = headers.filter((h): h is ImageHeader => h !== null);
  if (known.length === 0) return null;
  return {
    minHeight: Math.min(...known.map((h) => h.height)),
    maxHeight: Math.max(...known.map((h) => h.height)),
    minWidth: Math.min(...known.map((h) => h.width)),
    maxWidth: Math.max(...known.map((h) => h.width)),
    sizes: new Set(known.map((h) => `${h.height}x${h.width}`)).size,
    color: known.filter((h) => h.color === true).length,
    gray: known.filter((h) => h.color === false).length,
    colorUnknown: known.filter((h) => h.color === null).length,
    unreadable: headers.length - known.length,
  };
}

/**
 * The single H×W×C every image shares, or null when sizes or colours differ or are unknown. Colour
 * undeclared everywhere takes `channels` (the network's own).
 */
export function commonShape(found: FoundImages, channels: number): [number, number, number] | null {
  if (found.sizes !== 1 || found.unreadable > 0 || (found.color > 0 && found.gray > 0)) return null;
  if (found.colorUnknown > 0 && found.color + found.gray > 0) return null;
  return [found.minHeight, found.minWidth, found.color > 0 ? 3 : found.gray > 0 ? 1 : channels];
}
