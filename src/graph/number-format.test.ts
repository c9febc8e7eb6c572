import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatCountShort, formatSI } from './number-format.ts';

describe('formatCount', () => {
  it('groups thousands with a fixed separator per language, four-digit numbers included', () => {
    expect(formatCount(138_357_544, 'en')).toBe('138,357,544');
    expect(formatCount(138_357_544, 'es')).toBe('138.357.544');
    expect(formatCount(5994, 'es')).toBe('5.994');
    expect(formatCount(999, 'en')).toBe('999');
    expect(formatCount(0, 'en')).toBe('0');
  });

  it('rounds to a whole number and keeps the sign in front of the groups', () => {
    expect(formatCount(-1234.6, 'en')).toBe('-1,235');
  });
});

describe('formatSI', () => {
  it('writes large numbers with SI prefixes and the language decimal mark', () => {
    expect(formatSI(15_470_264_320, 'en')).toBe('15.5 G');
    expect(formatSI(1_500_000, 'es')).toBe('1,50 M');
    expect(formatSI(2e15, 'en')).toBe('2.00 P');
  });

  it('below 1000 writes the count itself, rounded as a count', () => {
    expect(formatSI(999, 'en')).toBe('999');
    expect(formatSI(12.4, 'en')).toBe('12');
  });
});

describe('formatBytes', () => {
  it('writes byte sizes in decimal units', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(36, 'en')).toBe('36 B');
    expect(formatBytes(26_176, 'en')).toBe('26.2 kB');
    expect(formatBytes(32_448, 'es')).toBe('32,4 kB');
  });

  it('scales a negative size (a saving) like a positive one', () => {
    expect(formatBytes(-1_500, 'en')).toBe('-1.50 kB');
  });
});

describe('formatCountShort', () => {
  it('is exact below 100,000 and a magnitude from there on', () => {
    expect(formatCountShort(99_999, 'en')).toBe('99,999');
    expect(formatCountShort(1_234_567, 'es')).toBe('1,23 M');
  });
});
