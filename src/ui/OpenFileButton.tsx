import { useRef } from 'react';
import { useApp, useStrings } from './store-context.ts';

/** A real button (keyboard and screen readers know it) that opens the hidden file picker. */
export function OpenFileButton() {
  const openFile = useApp((s) => s.openFile);
  const t = useStrings();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button" onClick={() => input.current?.click()} title={t.openFileHint}>
        {t.openFile}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Cleared so that picking the same file again (after fixing it) fires change again.
          e.target.value = '';
          if (file) void openFile(file);
        }}
      />
    </>
  );
}
