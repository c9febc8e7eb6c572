import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledDataset, type FetchFn } from '../../train/datasets/bundled.ts';
import { rgbaToChannels } from '../../train/datasets/pixels.ts';
import { loadBundledSample, photoSample, rgbToGrey } from './lab-images.ts';

const BASE = 'http://netcanvas.test/datasets/';
const DATASETS = path.resolve(__dirname, '../../../public/datasets');

const diskFetch: FetchFn = async (url) => {
  const file = path.join(DATASETS, new URL(url).pathname.replace(/^\/datasets\//, ''));
  return existsSync(file) ? new Response(readFileSync(file)) : new Response('not found', { status: 404 });
};

describe('kernel lab images', () => {
  it.each([
    ['digit', 'mnist', 0],
    ['fashion', 'fashion-mnist', 1],
  ] as const)('the %s sample is the same test image the trainer loads from %s', async (sample, dataset, index) => {
    const image = await loadBundledSample(sample, BASE, diskFetch);
    const full = await loadBundledDataset(dataset, diskFetch, { baseUrl: BASE });
    const size = full.shape[0] * full.shape[1] * full.shape[2];
    expect([image.h, image.w, image.channels]).toEqual([...full.shape]);
    expect(Array.from(image.data)).toEqual(Array.from(full.test.x.subarray(index * size, (index + 1) * size)));
  });

  it('colour becomes grey exactly as the datasets reader turns opaque RGBA into one channel', () => {
    const photo = photoSample();
    const rgba = new Uint8Array(photo.h * photo.w * 4);
    for (let p = 0; p < photo.h * photo.w; p++) rgba.set([...photo.rgb!.subarray(p * 3, p * 3 + 3), 255], p * 4);
    expect(Array.from(rgbToGrey(photo.rgb!, photo.h * photo.w))).toEqual(Array.from(rgbaToChannels(rgba, photo.h * photo.w, 1)));
  });

  it('the photo-like sample is colourful and has edges (not one flat colour)', () => {
    const photo = photoSample();
    expect(photo.channels).toBe(3);
    expect(new Set(Array.from(photo.data)).size).toBeGreaterThan(10);
  });
});
