/**
 * The right-hand panel: the inspector of the selected layer, or the design's own details (name, notes,
 * templates) when none or several are selected.
 */
import { useApp } from '../store-context.ts';
import { DesignInfo } from './DesignInfo.tsx';
import { Inspector } from './Inspector.tsx';

export function RightPanel() {
  const single = useApp((s) => s.selection.length === 1);
  return single ? <Inspector /> : <DesignInfo />;
}
