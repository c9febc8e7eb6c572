import { describe, expect, it } from 'vitest';
import { commonShape, readImageHeader, summarizeHeaders } from './image-header.ts';

/** A PNG's first 26 bytes: signature and IHDR with the given size and colour type. */
function pngHead(width: number, height: number, colorType: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  b[24] = 8;
  b[25] = colorType;
  return b;
}

/** SOI, an APP0 segment to skip, then SOF0 with height, width and the component count. */
function jpegHead(width: number, height: number, components: number): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 6, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, components, 1, 0x11, 0]);
}

describe('image headers', () => {
  it('reads PNG and JPEG sizes and whether they are colour', () => {
    expect(readImageHeader(pngHead(64, 48, 2))).toEqual({ width: 64, height: 48, color: true });
    expect(readImageHeader(pngHead(20, 20, 0))).toEqual({ width: 20, height: 20, color: false });
    expect(readImageHeader(pngHead(20, 20, 4))!.color).toBe(false);
    expect(readImageHeader(jpegHead(300, 200, 3))).toEqual({ width: 300, height: 200, color: true });
    expect(readImageHeader(jpegHead(28, 28, 1))).toEqual({ width: 28, height: 28, color: false });
  });

  it('reads GIF and BMP sizes without a colour claim; anything else is unreadable', () => {
    const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 40, 0, 30, 0]);
    expect(readImageHeader(gif)).toEqual({ width: 40, height: 30, color: null });
    const bmp = new Uint8Array(26);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 16, true);
    new DataView(bmp.buffer).setInt32(22, -12, true); // top-down rows: a negative height
    expect(readImageHeader(bmp)).toEqual({ width: 16, height: 12, color: null });
    expect(readImageHeader(new TextEncoder().encode('not an image'))).toBeNull();
  });

  it('summarises a mixed folder: the spread of sizes and the colour count', () => {
    const found = summarizeHeaders([readImageHeader(pngHead(20, 20, 0)), readImageHeader(pngHead(64, 48, 2)), readImageHeader(jpegHead(30, 25, 1)), null]);
    expect(found).toEqual({ minHeight: 20, maxHeight: 48, minWidth: 20, maxWidth: 64, sizes: 3, color: 1, gray: 2, colorUnknown: 0, unreadable: 1 });
    expect(commonShape(found!, 1)).toBeNull();
  });

  it('one size and one colour everywhere is a shape the Input can take', () => {
    const gray = summarizeHeaders([readImageHeader(pngHead(28, 28, 0)), readImageHeader(pngHead(28, 28, 0))])!;
    expect(commonShape(gray, 3)).toEqual([28, 28, 1]);
    const color = summarizeHeaders([readImageHeader(jpegHead(64, 48, 3))])!;
    expect(commonShape(color, 1)).toEqual([48, 64, 3]);
    const gif = summarizeHeaders([readImageHeader(Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 8, 0, 8, 0]))])!;
    expect(commonShape(gif, 3)).toEqual([8, 8, 3]);
  });
});
