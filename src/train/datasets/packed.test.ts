import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodePacked, encodePacked, maybeGunzip, NCDS_HEADER_BYTES } from './packed.ts';

const sample = () => ({
  shape: [2, 3, 1] as const,
  classes: 4,
  n: 2,
  x: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
  y: Uint8Array.from([3, 0]),
});

describe('packed dataset files', () => {
  it('round-trips images, labels, shape and class count', () => {
    const bytes = encodePacked(sample());
    expect(bytes.length).toBe(NCDS_HEADER_BYTES + 2 * 6 + 2);
    const back = decodePacked(bytes);
    expect(back.shape).toEqual([2, 3, 1]);
    expect(back.classes).toBe(4);
    expect(back.n).toBe(2);
    expect([...back.x]).toEqual([...sample().x]);
    expect([...back.y]).toEqual([3, 0]);
  });

  it('rejects truncated files, foreign files and labels beyond the class count, saying why', () => {
    const bytes = encodePacked(sample());
    expect(() => decodePacked(bytes.subarray(0, bytes.length - 1))).toThrow(/need 30/);
    expect(() => decodePacked(new TextEncoder().encode('PK\u0003\u0004 not ours at all'))).toThrow(/not "NCDS"/);
    const bad = bytes.slice();
    bad[bad.length - 1] = 4;
    expect(() => decodePacked(bad)).toThrow(/label 4, but there are only 4 classes/);
    const future = bytes.slice();
    future[4] = 9;
    expect(() => decodePacked(future)).toThrow(/version 9/);
  });

  it('inflates gzip with the platform decompressor and passes already-inflated bytes through', async () => {
    const bytes = encodePacked(sample());
    expect([...(await maybeGunzip(gzipSync(bytes, { mtime: 0 })))]).toEqual([...bytes]);
    expect(await maybeGunzip(bytes)).toBe(bytes);
  });
});
