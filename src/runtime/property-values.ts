/**
 * The values of step properties (`timeout:`, `env:`, …) checked at the property: a value the run
 * cannot use fails there, with its position, instead of quietly dropping the property (a
 * `timeout: "5 min"` that meant no timeout at all).
 */
import { parseDuration } from '../config/units.js';
import { BACKOFFS, type Backoff } from '../prose/index.js';
import { ProseError, type Site } from './errors.js';
import { isObject, toText, type Value } from './values.js';

function shown(value: Value): string {
  return typeof value === 'string' ? JSON.stringify(value) : toText(value);
}

/** A `timeout:` in milliseconds; null and absent mean none. */
export function durationProperty(value: Value | undefined, at: Site): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) throw new ProseError('type', `\`timeout\` must be a duration like "30s", "5m" or "1h", or a number of seconds, not ${shown(value)}`, at);
  return ms;
}

/** An `env:` mapping, its values as text. */
export function envProperty(value: Value | undefined, at: Site): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new ProseError('type', '`env` must be a mapping of names to values, like {CI: true}', at);
  return Object.fromEntries(Object.entries(value as Record<string, Value>).map(([k, v]) => [k, toText(v)]));
}

/** One of a property's words (`on-fail`, `backoff`), or the default when absent; `expected` says which, for the message. */
export function choiceProperty<T extends string>(name: string, value: Value | undefined, choices: readonly T[], fallback: T, at: Site, expected: string): T {
  if (value === undefined || value === null) return fallback;
  const text = toText(value);
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new ProseError('type', `\`${name}\` must be ${expected}, not ${JSON.stringify(text)}`, at);
}

/** A `retry:` count: a whole number, 0 or more. */
export function retryProperty(value: Value | undefined, at: Site): number {
  if (value === undefined || value === null) return 0;
  const retries = Number(toText(value));
  if (!Number.isInteger(retries) || retries < 0) throw new ProseError('type', '`retry` must be a whole number of attempts', at);
  return retries;
}

/** A `backoff:` word (how a retried step waits); exponential when absent. */
export function backoffProperty(value: Value | undefined, at: Site): Backoff {
  return choiceProperty('backoff', value, BACKOFFS, 'exponential', at, 'none, linear or exponential');
}
