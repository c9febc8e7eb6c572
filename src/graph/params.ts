/**
 * Parameter schemas: plain data that drives validation, defaults, the file format, the inspector form and
 * the emitters. Names follow Keras/tfjs config names (kernel_size, strides, use_bias…).
 */
import type { Issue } from './messages.ts';
import type { Localized, ParamValue, Params } from './types.ts';

interface Base {
  readonly doc: Localized;
}
export interface IntParam extends Base {
  readonly type: 'int';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}
export interface FloatParam extends Base {
  readonly type: 'float';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** When true the upper bound itself is not allowed (a dropout rate of 1 drops everything). */
  readonly maxExclusive?: boolean;
}
export interface BoolParam extends Base {
  readonly type: 'bool';
  readonly default: boolean;
}
export interface ChoiceParam<O extends string = string> extends Base {
  readonly type: 'choice';
  readonly default: O;
  readonly options: readonly O[];
}
/** A short list of integers: a kernel size [h, w], strides, padding [t, b, l, r], a shape. */
export interface IntsParam extends Base {
  readonly type: 'ints';
  readonly default: readonly number[];
  readonly minLength: number;
  readonly maxLength: number;
  readonly min: number;
  readonly max: number;
  /** Reshape's target_shape accepts one -1 ("whatever is left"). */
  readonly allowMinusOne?: boolean;
}
export type ParamSpec = IntParam | FloatParam | BoolParam | ChoiceParam | IntsParam;
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

type ValueOf<S extends ParamSpec> = S extends IntParam | FloatParam
  ? number
  : S extends BoolParam
    ? boolean
    : S extends ChoiceParam<infer O>
      ? O
      : readonly number[];
export type ParamsOf<S extends ParamSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** Big enough for any real network, small enough that an absurd value is caught before it allocates. */
export const MAX_SIZE = 100_000;

export function defaultParams(schema: ParamSchema): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(schema)) out[name] = spec.default as ParamValue;
  return out;
}

/**
 * Accept the shorthand people write by hand: `kernel_size: 5` for `[5, 5]` when the list has a fixed
 * length. Anything else is returned as it was, to be judged by `checkParam`.
 */
export function normalizeParamValue(spec: ParamSpec, value: unknown): unknown {
  if (spec.type === 'ints' && typeof value === 'number' && spec.minLength === spec.maxLength) {
    return Array.from({ length: spec.minLength }, () => value);
  }
  return value;
}

/** A value as a message shows it: JSON, cut to 40 characters (a file can hold a megabyte where a number belongs). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** One parameter against its schema; returns the issue or null. `node` names the node in the message. */
export function checkParam(node: string, nodeId: string, name: string, spec: ParamSpec, value: unknown): Issue | null {
  const typeIssue = (expected: string): Issue => ({
    severity: 'error',
    code: 'param-type',
    nodeId,
    param: name,
    values: { node, param: name, expected, got: describeValue(value) },
  });
  const rangeIssue = (got: number | string, min: number, max: number): Issue => ({
    severity: 'error',
    code: 'param-range',
    nodeId,
    param: name,
    values: { node, param: name, got, min, max },
  });
  switch (spec.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeIssue('an integer');
      if (value < spec.min || value > spec.max) return rangeIssue(value, spec.min, spec.max);
      return null;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return typeIssue('a number');
      if (value < spec.min || value > spec.max || (spec.maxExclusive && value === spec.max)) {
        return rangeIssue(value, spec.min, spec.maxExclusive ? spec.max - Number.EPSILON : spec.max);
      }
      return null;
    case 'bool':
      return typeof value === 'boolean' ? null : typeIssue('true or false');
    case 'choice':
      if (typeof value !== 'string' || !spec.options.includes(value)) {
        return {
          severity: 'error',
          code: 'param-choice',
          nodeId,
          param: name,
          values: { node, param: name, got: describeValue(value).replace(/^"|"$/g, ''), options: spec.options.join(', ') },
        };
      }
      return null;
    case 'ints': {
      const length =
        spec.minLength === spec.maxLength ? `${spec.minLength}` : `${spec.minLength} to ${spec.maxLength}`;
      if (!Array.isArray(value) || value.length < spec.minLength || value.length > spec.maxLength) {
        return typeIssue(`a list of ${length} integers`);
      }
      for (const v of value) {
        if (typeof v !== 'number' || !Number.isInteger(v)) return typeIssue(`a list of ${length} integers`);
        if (spec.allowMinusOne && v === -1) continue;
        if (v < spec.min || v > spec.max) return rangeIssue(`[${value.join(', ')}]`, spec.min, spec.max);
      }
      return null;
    }
  }
}

/** Fill defaults and check every parameter. Unknown parameters are reported, not silently kept. */
export function resolveParams(
  node: string,
  nodeId: string,
  kind: string,
  schema: ParamSchema,
  params: Params,
): { values: Record<string, ParamValue>; issues: Issue[] } {
  const values: Record<string, ParamValue> = {};
  const issues: Issue[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    // Own keys only: `in` would take inherited members (constructor, toString, __proto__) for the user's.
    const raw = Object.hasOwn(params, name) ? normalizeParamValue(spec, params[name]) : spec.default;
    const issue = checkParam(node, nodeId, name, spec, raw);
    if (issue) issues.push(issue);
    values[name] = raw as ParamValue;
  }
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(schema, name)) {
      issues.push({
        severity: 'error',
        code: 'param-unknown',
        nodeId,
        param: name,
        values: { node, param: name, kind },
      });
    }
  }
  return { values, issues };
}
