/**
 * The training settings that outlive a reload (optimiser, rates, epochs, backend, test share), and a
 * marker written while a run is active so that the next page load can say which run a reload or crash
 * lost. Stored as one small JSON value (localStorage in the page); everything read back is validated
 * field by field, so a damaged or older value keeps what is still good and defaults the rest.
 */
import { z } from 'zod';
import { BACKENDS, DEFAULT_CONFIG, type BackendChoice, type TrainConfig } from '../train/protocol.ts';

export interface RunSettings {
  readonly config: TrainConfig;
  readonly backendChoice: BackendChoice;
  /** Share of a user's own images held out for the test. */
  readonly testShare: number;
}

/** What was running when the page went away. */
export interface LostRun {
  readonly dataName: string | null;
  readonly epochs: number;
  readonly startedAt: number;
}

export const DEFAULT_TEST_SHARE = 0.2;
export const DEFAULT_SETTINGS: RunSettings = { config: DEFAULT_CONFIG, backendChoice: 'auto', testShare: DEFAULT_TEST_SHARE };

/** Each field with its own bounds (the settings form's); anything else falls back to the default. */
const FIELDS = {
  optimizer: z.enum(['sgd', 'adam']),
  learningRate: z.number().min(0).max(10),
  momentum: z.number().min(0).max(0.999),
  batchSize: z.number().int().min(1).max(4096),
  epochs: z.number().int().min(1).max(1000),
  validationSplit: z.number().min(0).max(0.5),
  augment: z.object({ shift: z.number().int().min(0).max(8), flip: z.boolean() }),
  patience: z.number().int().min(1).max(100).nullable(),
  maxBatchesPerEpoch: z.number().int().min(1).nullable(),
} satisfies Partial<Record<keyof TrainConfig, z.ZodType>>;

const lostRunSchema = z.object({ dataName: z.string().nullable(), epochs: z.number().int().min(1), startedAt: z.number() });

export function parseRunSettings(value: unknown): RunSettings {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const rawConfig = (typeof raw.config === 'object' && raw.config !== null ? raw.config : {}) as Record<string, unknown>;
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, schema] of Object.entries(FIELDS)) {
    const parsed = (schema as z.ZodType).safeParse(rawConfig[key]);
    if (parsed.success) config[key] = parsed.data;
  }
  const backend = z.enum(['auto', ...BACKENDS]).safeParse(raw.backendChoice);
  const share = z.number().min(0.05).max(0.5).safeParse(raw.testShare);
  return {
    config: config as unknown as TrainConfig,
    backendChoice: backend.success ? backend.data : DEFAULT_SETTINGS.backendChoice,
    testShare: share.success ? share.data : DEFAULT_TEST_SHARE,
  };
}

export function parseLostRun(value: unknown): LostRun | null {
  const parsed = lostRunSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Where the settings and the active-run marker live; tests pass `memorySettings()`. */
export interface SettingsStorage {
  load(key: string): unknown;
  save(key: string, value: unknown): void;
}

export const SETTINGS_KEY = 'netcanvas:train-settings';
export const ACTIVE_RUN_KEY = 'netcanvas:active-run';

/** localStorage, as JSON; a full or blocked storage only loses the settings, never throws. */
export function webSettings(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): SettingsStorage {
  return {
    load(key) {
      try {
        const text = storage.getItem(key);
        return text === null ? null : JSON.parse(text);
      } catch {
        return null;
      }
    },
    save(key, value) {
      try {
        if (value === null) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify(value));
      } catch {
        // Private mode or a full quota: the settings stay for this session only.
      }
    },
  };
}

export function memorySettings(initial: Record<string, unknown> = {}): SettingsStorage & { readonly map: Map<string, unknown> } {
  const map = new Map<string, unknown>(Object.entries(initial));
  return {
    map,
    load: (key) => (map.has(key) ? structuredClone(map.get(key)) : null),
    save: (key, value) => void (value === null ? map.delete(key) : map.set(key, structuredClone(value))),
  };
}
