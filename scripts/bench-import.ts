/**
 * bench:import — what `netcanvas import` of a big ONNX model costs: seconds and peak resident memory of the
 * real bin (`/usr/bin/time`), against the model's weight bytes (goal: ≤ 2× in memory).
 *
 * The models are torchvision's, exported with Debian's torch (random weights, nothing downloaded) by
 * src/import/testing/torchvision_onnx.py: VGG-16 (138 M parameters, 553 MB) and ResNet-50 (25.6 M, 102 MB).
 * Each import writes a .netcanvas (weights streamed into it). The bin's own footprint (Node and the loaded
 * code, measured by a `summary` of LeNet-5 in the same run) is printed too, and the ratio with it taken off:
 * it is what a larger model does not pay again.
 *
 * Usage: npm run bench:import -- [--models vgg16,resnet50] [--dir DIR] [--repeat N]
 * (DIR keeps the exported files between runs; by default a temporary folder.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: { models: { type: 'string', default: 'vgg16,resnet50' }, dir: { type: 'string' }, repeat: { type: 'string', default: '1' } },
});
const root = join(import.meta.dirname, '..');
const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'bench-import-'));
mkdirSync(dir, { recursive: true });
const models = opts.models.split(',');
const repeat = Math.max(1, Number(opts.repeat));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const missing = models.filter((m) => !existsSync(join(dir, `${m}.onnx`)));
if (missing.length > 0) {
  const made = spawnSync('/usr/bin/python3', [join(root, 'src/import/testing/torchvision_onnx.py'), dir, '17', ...missing], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`exporting ${missing.join(', ')} with torch failed:\n${made.stderr.slice(-2000)}`);
}

/** Runs the bin under /usr/bin/time: seconds and peak RSS in MB. */
function timed(args: string[]): { seconds: number; peakMb: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'NETCANVAS_TIME %e %M', process.execPath, join(root, 'bin/netcanvas.mjs'), ...args], { encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('NETCANVAS_TIME'));
  if (r.status !== 0 || !line) throw new Error(`netcanvas ${args.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
  const [, seconds, kb] = line.split(' ');
  return { seconds: Number(seconds), peakMb: Number(kb) / 1024, stdout: r.stdout };
}

const base = median(Array.from({ length: repeat }, () => timed(['summary', join(root, 'templates/lenet-5.json')]).peakMb));
console.log(JSON.stringify({ case: 'bin footprint (summary of LeNet-5)', peakMb: Math.round(base) }));
for (const model of models) {
  const runs = Array.from({ length: repeat }, () => timed(['import', join(dir, `${model}.onnx`), '--out', join(dir, `${model}.netcanvas`)]));
  const params = Number(/([\d,]+) parameters/.exec(runs[0].stdout)?.[1].replace(/,/g, ''));
  const weightMb = (params * 4) / 2 ** 20;
  const peakMb = median(runs.map((r) => r.peakMb));
  console.log(
    JSON.stringify({
      case: `import ${model}`,
      fileMb: Math.round(statSync(join(dir, `${model}.onnx`)).size / 2 ** 20),
      weightMb: Math.round(weightMb),
      seconds: median(runs.map((r) => r.seconds)),
      peakMb: Math.round(peakMb),
      peakOverWeights: Number((peakMb / weightMb).toFixed(2)),
      peakLessFootprintOverWeights: Number(((peakMb - base) / weightMb).toFixed(2)),
      runs: repeat,
    }),
  );
}
