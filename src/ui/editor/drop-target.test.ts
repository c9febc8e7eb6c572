import { describe, expect, it } from 'vitest';
import { DROP_REACH, dropTarget } from './drop-target.ts';
import { DEFAULT_BOX } from '../../graph/layout-box.ts';

const a = { id: 'a', position: { x: 0, y: 0 } };
const b = { id: 'b', position: { x: 0, y: 300 } };

describe('dropTarget', () => {
  it('attaches a drop onto a layer, or just below it, to that layer', () => {
    expect(dropTarget({ x: 100, y: 30 }, [a, b], [])).toBe('a');
    expect(dropTarget({ x: 100, y: DEFAULT_BOX.height + DROP_REACH - 1 }, [a, b], [])).toBe('a');
  });

  it('leaves a drop in open space unattached', () => {
    expect(dropTarget({ x: 100, y: DEFAULT_BOX.height + DROP_REACH + 1 }, [a], [])).toBeNull();
    expect(dropTarget({ x: 600, y: 30 }, [a, b], ['a'])).toBeNull();
  });

  it('prefers the selected layer when two are within reach, else the nearer one', () => {
    const close = { id: 'b', position: { x: 0, y: 140 } };
    const nearA = { x: 100, y: 100 };
    expect(dropTarget(nearA, [a, close], [])).toBe('a');
    expect(dropTarget({ x: 100, y: 115 }, [a, close], [])).toBe('b');
    expect(dropTarget(nearA, [a, close], ['b'])).toBe('b');
  });

  it('uses the measured size when the canvas knows it', () => {
    const tall = { ...a, height: 180 };
    expect(dropTarget({ x: 100, y: 190 }, [tall], [])).toBe('a');
    expect(dropTarget({ x: 100, y: 190 }, [a], [])).toBeNull();
  });
});
