import { useApp } from '../store-context.ts';
import { useFilesStrings } from './files-strings.ts';
import { useFileDrop } from './use-file-drop.ts';
import './files.css';

/**
 * Dropping a design file anywhere on the page opens it; while a file hovers, the page says so. The
 * overlay lets the pointer through (pointer-events: none), so drop zones below keep working.
 */
export function FileDropOverlay() {
  const openFile = useApp((s) => s.openFile);
  const t = useFilesStrings();
  const dragging = useFileDrop((file) => void openFile(file));
  if (!dragging) return null;
  return (
    <div className="file-drop-overlay" data-testid="file-drop-overlay">
      <div className="file-drop-card">
        <strong>{t.dropHere}</strong>
        <span>{t.dropHint}</span>
      </div>
    </div>
  );
}
