/**
 * Runs `npm run bench:hostile -- --quick` as part of the unit tests, so that every CI log carries the
 * worst hostile inputs' figures (time, CPU time, peak memory). Timings are printed, never asserted: they
 * depend on the machine and its load. What is asserted is what the readers promise: each case ran to its
 * end in its own process, was refused with a message of bounded length, and the report stays a few lines.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS } from '../src/graph/messages.ts';

const script = fileURLToPath(new URL('./bench-hostile.ts', import.meta.url));

describe('bench:hostile --quick', () => {
  it('refuses the 20,000-node cycle, the bomb link and the deep nesting with short messages, and prints its figures', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--quick'], { encoding: 'utf8', timeout: 280_000 });
    console.log(`bench:hostile --quick\n${run.stdout}`);
    expect(run.error).toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.length).toBeLessThan(4_000);
    const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => `${r.case} ${r.n}`)).toEqual(['parse-cycle 19999', 'infer-cycle 19999', 'link-bomb 300', 'nesting 8000']);
    for (const row of rows) {
      expect(row.failed, String(row.case)).toBeUndefined();
      for (const key of ['ms', 'cpuMs', 'peakMbAboveStart']) expect(Number.isFinite(row[key]), `${row.case}.${key}`).toBe(true);
      expect(row.message).not.toBe('accepted');
      expect(row.messageChars as number).toBeGreaterThan(0);
      expect(row.messageChars as number).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
    expect(String(rows[0].message)).toContain('cycle through 19,999 layers');
    expect(String(rows[1].message)).toMatch(/^19999 errors; /);
  }, 300_000);
});
