/**
 * The right-hand panel: the inspector of the selected layer, or the design's own details (name, notes,
 * templates) when none or several are selected; above either, the lesson of the design when it has one.
 */
import { useApp } from '../store-context.ts';
import { DesignInfo } from './DesignInfo.tsx';
import { Inspector } from './Inspector.tsx';
import { LessonPanel } from '../lesson/LessonPanel.tsx';

export function RightPanel() {
  const single = useApp((s) => s.selection.length === 1);
  // A lesson stays in view above whatever the panel shows: the student edits and reads the step together.
  return (
    <>
      <LessonPanel />
      {single ? <Inspector /> : <DesignInfo />}
    </>
  );
}
