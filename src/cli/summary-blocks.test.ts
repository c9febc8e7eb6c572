import { describe, expect, it } from 'vitest';
import { flattenDesign } from '../graph/blocks.ts';
import { parseDesign } from '../graph/file-format.ts';
import { inferShapes } from '../graph/infer.ts';
import { formatCount } from '../graph/number-format.ts';
import { resnet18WithBlocks } from '../graph/testing/block-designs.ts';
import type { Design } from '../graph/types.ts';
import { formatSummaryTable, summaryJson, validationReport } from './summary.ts';

function design(): Design {
  const r = parseDesign(resnet18WithBlocks());
  if (!r.ok) throw new Error('fixture does not load');
  return r.design;
}

describe('summary of a design with blocks', () => {
  it('prints each instance and copy as a row with its subtotal, its layers indented under it', () => {
    const d = design();
    const inference = inferShapes(flattenDesign(d));
    const table = formatSummaryTable(d, inference, 'en').split('\n');
    const row = (start: string) => table.find((l) => l.startsWith(start))!;
    const sum = (prefix: string) => [...inference.nodes.values()].filter((n) => n.id.startsWith(prefix)).reduce((a, n) => a + n.trainableParams + n.nonTrainableParams, 0);
    expect(row('layer3 ')).toMatch(new RegExp(`^layer3 +BasicBlock ×2 +14×14×256 +${formatCount(sum('layer3.'), 'en')} `));
    expect(row('  1 ')).toMatch(/BasicBlock \(copy\) +56×56×64/);
    const at = table.indexOf(row('layer2 '));
    expect(table.slice(at, at + 3).map((l) => l.match(/^ *\S+/)![0])).toEqual(['layer2', '  0', '    conv1']);
    // Every layer still has its row: the unfolded count plus one per instance and per copy.
    const rows = table.filter((l) => /^ *\S.*  \d/.test(l) && !l.includes(':'));
    expect(rows.length).toBe(inference.nodes.size + 4 + 8);
    expect(formatSummaryTable(d, inference, 'es')).toContain('BasicBlock (copia)');
  });

  it('gives the JSON the block subtotals and counts the unfolded layers when validating', () => {
    const d = design();
    const inference = inferShapes(flattenDesign(d));
    const json = summaryJson(d, inference);
    expect(json.layers).toBe(inference.nodes.size);
    expect(json.blocks!.find((b) => b.path === 'layer4')).toMatchObject({ repeat: 2, outputShapes: [[7, 7, 512]] });
    expect(validationReport(d, inference).stdout[0]).toMatch(new RegExp(`^OK: ${inference.nodes.size} layers, 11,699,112 params`));
  });
});
