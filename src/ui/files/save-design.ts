import { serializeDesign } from '../../graph/file-format.ts';
import type { Design } from '../../graph/types.ts';
import type { DesignWeights } from '../../graph/weights.ts';
import { downloadBlob, downloadText } from './download.ts';
import { designFileName } from './files-strings.ts';

/**
 * Downloads the design and returns the file's name. Without weights it is small, readable JSON (diffs,
 * share links); with them a .netcanvas (design.json beside weights.safetensors), so weights of any size are
 * never turned into one string: VGG-16's 553 MB in base64 would not fit in the longest string V8 allows.
 */
export async function saveDesign(design: Design, weights: DesignWeights | null): Promise<string> {
  const json = designFileName(design.name);
  if (!weights) {
    downloadText(serializeDesign(design), json);
    return json;
  }
  const name = json.replace(/\.json$/, '.netcanvas');
  const { netcanvasChunks } = await import('../../graph/netcanvas-file.ts');
  downloadBlob(new Blob(netcanvasChunks(design, weights) as BlobPart[], { type: 'application/zip' }), name);
  return name;
}
