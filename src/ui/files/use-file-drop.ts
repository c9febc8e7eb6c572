import { useEffect, useRef, useState } from 'react';

/**
 * The overlay hides when the drag leaves the window (enter/leave counting), on drop, and failing those
 * (a drag cancelled outside the page sends us nothing) this long after the last dragover; browsers repeat
 * dragover every few hundred milliseconds while a drag rests over the page.
 */
const SAFETY_MS = 1000;

export function carriesFiles(data: DataTransfer | null): boolean {
  return !!data && Array.from(data.types).includes('Files');
}

/** The file to open from a drop: the first .json, .netcanvas, .onnx or .keras, else the first file (its problem then says why not). */
export function pickDesignFile(files: FileList | readonly File[]): File | null {
  const list = Array.from(files);
  const opens = (f: File) => /\.(json|netcanvas|onnx|keras)$/i.test(f.name) || f.type === 'application/json';
  return list.find(opens) ?? list[0] ?? null;
}

/**
 * Files dragged anywhere over the page: `dragging` while they hover, `onFile` with the file dropped.
 * Only drags that carry files count (the palette drags a layer kind, not a file). A drop that an element
 * below already handled (the training data zone calls preventDefault) is left to it, and so is its hover.
 */
export function useFileDrop(onFile: (file: File) => void, target: Window | null = typeof window === 'undefined' ? null : window): boolean {
  const [dragging, setDragging] = useState(false);
  const latest = useRef(onFile);
  latest.current = onFile;

  useEffect(() => {
    if (!target) return;
    let depth = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const hide = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      depth = 0;
      setDragging(false);
    };
    const keepAlive = () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(hide, SAFETY_MS);
    };
    const onEnter = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return;
      depth++;
      keepAlive();
    };
    const onLeave = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return;
      depth--;
      if (depth <= 0) hide();
    };
    const onOver = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return;
      keepAlive();
      if (e.defaultPrevented) {
        // Something under the pointer takes this drop itself (the training data zone).
        setDragging(false);
        return;
      }
      // Without this the browser would navigate to the dropped file and the page's work would be gone.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const onDrop = (e: DragEvent) => {
      if (!carriesFiles(e.dataTransfer)) return;
      hide();
      if (e.defaultPrevented) return;
      e.preventDefault();
      const file = e.dataTransfer ? pickDesignFile(e.dataTransfer.files) : null;
      if (file) latest.current(file);
    };
    target.addEventListener('dragenter', onEnter);
    target.addEventListener('dragleave', onLeave);
    target.addEventListener('dragover', onOver);
    target.addEventListener('drop', onDrop);
    target.addEventListener('dragend', hide);
    return () => {
      hide();
      target.removeEventListener('dragenter', onEnter);
      target.removeEventListener('dragleave', onLeave);
      target.removeEventListener('dragover', onOver);
      target.removeEventListener('drop', onDrop);
      target.removeEventListener('dragend', hide);
    };
  }, [target]);

  return dragging;
}
