/**
 * Files from a drop or a picker, with their paths inside the chosen folder. A dropped folder is walked
 * through the File System entries API; a picked folder carries `webkitRelativePath`.
 */

export interface PathFile {
  readonly path: string;
  readonly file: File;
}

export function fromFileList(files: FileList | readonly File[]): PathFile[] {
  return Array.from(files).map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call: keep reading until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: PathFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, path, out);
  }
}

/** Everything dropped: folders walked, loose files as they are. */
export async function fromDataTransfer(data: DataTransfer): Promise<PathFile[]> {
  const entries = Array.from(data.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null))
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return fromFileList(data.files);
  const out: PathFile[] = [];
  for (const entry of entries) await walk(entry, '', out);
  return out;
}

export function isSingleZip(files: readonly PathFile[]): boolean {
  return files.length === 1 && files[0].file.name.toLowerCase().endsWith('.zip');
}
