/**
 * The dataset manifest: one JSON file per dataset (`<dataset>/manifest.json`) naming its packed split
 * files, with what a loader needs to check them. A larger dataset hosted elsewhere is the same manifest at
 * another URL; `scripts/build-datasets.ts` writes the bundled ones.
 */
import { z } from 'zod';

export const MANIFEST_FORMAT = 'netcanvas-dataset';
export const MANIFEST_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');

export const splitEntrySchema = z.object({
  /** Relative to the manifest's URL. */
  file: z.string().min(1),
  count: z.number().int().min(0),
  /** Size of `file` as stored (compressed). */
  bytes: z.number().int().min(0),
  /** Of `file` as stored. */
  sha256,
  /** Of the packed bytes after decompression: what a loader can verify whatever the server did. */
  contentSha256: sha256,
  /** Images per class, in class order. */
  classCounts: z.array(z.number().int().min(0)),
});

export const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    version: z.literal(MANIFEST_VERSION),
    name: z.string().min(1),
    title: z.string().min(1),
    description: z.string().optional(),
    shape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
    classes: z.array(z.string().min(1)).min(2).max(256),
    splits: z.object({ train: splitEntrySchema, test: splitEntrySchema }),
    license: z.string().min(1),
    source: z.string().min(1),
    attribution: z.string().min(1),
    notes: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    for (const key of ['train', 'test'] as const) {
      const s = m.splits[key];
      if (s.classCounts.length !== m.classes.length) {
        ctx.addIssue({ code: 'custom', path: ['splits', key, 'classCounts'], message: `needs one count per class (${m.classes.length})` });
      } else if (s.classCounts.reduce((a, b) => a + b, 0) !== s.count) {
        ctx.addIssue({ code: 'custom', path: ['splits', key, 'classCounts'], message: `adds up to more or less than count ${s.count}` });
      }
    }
  });

export type DatasetManifest = z.infer<typeof manifestSchema>;
export type SplitEntry = z.infer<typeof splitEntrySchema>;

/** Parses a manifest; on failure returns a one-line description of the first problems. */
export function parseManifest(data: unknown): { ok: true; manifest: DatasetManifest } | { ok: false; detail: string } {
  const r = manifestSchema.safeParse(data);
  if (r.success) return { ok: true, manifest: r.data };
  const detail = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, detail };
}
