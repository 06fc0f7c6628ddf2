/**
 * The values a `.prose` program computes with: JSON data (null, booleans, numbers, strings,
 * arrays, objects) plus `Tagged` values — what a gate, `verify`, `checkpoint` or a caught error
 * returns: one primary value that comparisons, conditions and interpolation see (the chosen
 * option, whether the gates passed, the checkpoint's name, the error message) and fields that
 * dotted access reads (`decision.feedback`, `result.digest`). Values are immutable.
 */

export type Value = null | boolean | number | string | readonly Value[] | ValueObject | Tagged;

export interface ValueObject {
  readonly [key: string]: Value;
}

export type TagKind = 'gate' | 'verify' | 'checkpoint' | 'rollback' | 'error';

export class Tagged {
  constructor(
    readonly tag: TagKind,
    /** What `==`, conditions and `{x}` see. */
    readonly primary: string | boolean | null,
    readonly fields: ValueObject,
    /** How it reads in a string, when that differs from the primary value (a verdict reads as its digest). */
    readonly text?: string,
  ) {}
}

export function isObject(value: Value): value is ValueObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Tagged);
}

export function isArray(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

/** The primitive a value stands for in comparisons (a tagged value compares as its primary). */
function primitive(value: Value): Value {
  return value instanceof Tagged ? value.primary : value;
}

const NEGATIVE_WORDS = new Set(['no', 'false', 'n', 'nope', 'negative']);

/**
 * Conditions: false, null, 0, "", [] and {} are false, a tagged value is its primary, and a string
 * is false when its first word is "no" or "false" — agents answer questions in words
 * (`filter: session "Is {item} worth an article? Answer yes or no."`).
 */
export function isTruthy(value: Value): boolean {
  const v = primitive(value);
  if (v === null || v === false || v === 0 || v === '') return false;
  if (typeof v === 'string') {
    const word = /^[\s*_"'`]*([A-Za-z]+)/.exec(v)?.[1]?.toLowerCase();
    return word === undefined || !NEGATIVE_WORDS.has(word);
  }
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

export function valuesEqual(a: Value, b: Value): boolean {
  const x = primitive(a);
  const y = primitive(b);
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((item: Value, i: number) => valuesEqual(item, y[i] as Value));
  }
  const xo = x as ValueObject;
  const yo = y as ValueObject;
  const keys = Object.keys(xo);
  if (keys.length !== Object.keys(yo).length) return false;
  return keys.every((k) => k in yo && valuesEqual(xo[k] as Value, yo[k] as Value));
}

/** How a value reads inside a string or a prompt: text as it is, null as nothing, data as JSON. */
export function toText(value: Value): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Tagged) return value.text ?? (value.primary === null ? '' : String(value.primary));
  return JSON.stringify(toPlain(value));
}

/** Plain JSON for messages, bindings shown to a judge, and program outputs. */
export function toPlain(value: Value): unknown {
  if (value instanceof Tagged) return { value: value.primary, ...(toPlain(value.fields) as object) };
  if (Array.isArray(value)) return value.map(toPlain);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  return value;
}

export function typeName(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof Tagged) return `a ${value.tag} value`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** `value.name`: an object's key, a tagged value's field, `length` of a list or text; undefined when absent. */
export function memberOf(value: Value, name: string): Value | undefined {
  if (value instanceof Tagged) return name in value.fields ? value.fields[name] : name === 'value' ? value.primary : undefined;
  if (Array.isArray(value) || typeof value === 'string') return name === 'length' ? value.length : undefined;
  if (isObject(value)) return Object.hasOwn(value, name) ? value[name] : undefined;
  return undefined;
}

/** A journal stores values as JSON; tagged values are wrapped so that they come back as they were. */
export function encodeValue(value: Value): unknown {
  if (value instanceof Tagged) {
    return { $tag: value.tag, primary: value.primary, fields: encodeValue(value.fields), ...(value.text === undefined ? {} : { text: value.text }) };
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  if (isObject(value)) {
    const entries = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
    return '$tag' in value || '$object' in value ? { $object: entries } : entries;
  }
  return value;
}

export function decodeValue(json: unknown): Value {
  if (json === null || typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean') return json;
  if (Array.isArray(json)) return json.map(decodeValue);
  if (typeof json !== 'object') return null;
  const record = json as Record<string, unknown>;
  if (typeof record.$tag === 'string') {
    const primary = record.primary;
    return new Tagged(
      record.$tag as TagKind,
      typeof primary === 'string' || typeof primary === 'boolean' ? primary : null,
      decodeValue(record.fields) as ValueObject,
      ...(typeof record.text === 'string' ? [record.text] : []),
    );
  }
  const entries = record.$object !== undefined && typeof record.$object === 'object' ? (record.$object as Record<string, unknown>) : record;
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, decodeValue(v)]));
}

/** Turns any JSON (an input argument, a verdict) into a value. */
export function fromJson(json: unknown): Value {
  if (json === undefined) return null;
  if (json === null || typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean') return json;
  if (Array.isArray(json)) return json.map(fromJson);
  if (typeof json === 'object') return Object.fromEntries(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]));
  return String(json);
}
