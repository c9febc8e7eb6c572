/**
 * What every exporter returns: a set of files, written to a folder by the CLI or zipped by the app.
 */
import { concatBytes } from '../graph/byte-source.ts';
import type { DesignInference } from '../graph/infer.ts';
import type { Design, Lang } from '../graph/types.ts';
import type { DesignWeights } from '../graph/weights.ts';

export type ExportTarget = 'pytorch' | 'keras' | 'onnx';

/**
 * A binary file given as its pieces, made as they are read (`chunks()` may be called again: it starts
 * over). Written piece by piece, the file is never whole in memory; only `options.chunked` asks for it.
 */
export interface ChunkedContent {
  readonly chunks: () => Iterable<Uint8Array>;
}

export interface ExportFile {
  /** Relative path inside the export folder, e.g. "model.py". */
  readonly path: string;
  readonly content: string | Uint8Array | ChunkedContent;
}

/** A file's content as bytes or text, a chunked one joined (for a zip, or a test). */
export function wholeContent(content: ExportFile['content']): string | Uint8Array {
  if (typeof content === 'string' || content instanceof Uint8Array) return content;
  return concatBytes([...content.chunks()]);
}

export interface ExportOptions {
  /**
   * The design's inference, when the caller already has it (the code panel exports three targets from
   * one). It must be the inference of this very design; without it the exporter infers.
   */
  readonly inference?: DesignInference;
  /** Language of the texts written for people (the ONNX summary); code and its comments stay English. Default en. */
  readonly lang?: Lang;
  /** Trained weights; when present the export carries them and the code loads them. */
  readonly weights?: DesignWeights;
  /**
   * Give weights.npz as a ChunkedContent whose arrays are converted as they are written (the CLI), not as
   * one buffer: peak memory stays near the weights themselves.
   */
  readonly chunked?: boolean;
  /** Training hyper-parameters chosen in the app, for train.py. */
  readonly training?: {
    readonly optimizer?: 'sgd' | 'adam';
    readonly learningRate?: number;
    readonly momentum?: number;
    readonly batchSize?: number;
    readonly epochs?: number;
  };
}

export type ExportResult =
  | { readonly ok: true; readonly files: readonly ExportFile[] }
  | { readonly ok: false; readonly issues: readonly import('../graph/messages.ts').Issue[] };

export type Exporter = (design: Design, options?: ExportOptions) => ExportResult | Promise<ExportResult>;
