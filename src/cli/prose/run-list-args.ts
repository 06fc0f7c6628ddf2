/**
 * List inputs given on a shell command line. `components=["api","ui"]` unquoted reaches choiros
 * as `components=[api,ui]` (bash removes the quotes), and `components=["api", "ui"]` as two
 * arguments split at the space. Both used to run as the text "[api,ui]" — or fail only after
 * the first phase had paid an agent — so they are settled here, before anything runs:
 *
 * - for an input that takes a list (its `default:` is a list, or its `type:` says list or array),
 *   `[api,ui]` — words in brackets, without quotes, brackets or braces inside — is the list of
 *   those words as text; any other value that is not a list is refused (exit 2) with the quoting
 *   that works;
 * - an argument that continues a value the shell split at a space is refused, naming the input.
 *
 * A bare `api,ui` is not read as a list: a list of sentences may hold commas, and the brackets
 * are what says "list". Values are data only; none reaches a shell.
 */
import { UsageError } from '../../errors.js';
import type { Input } from '../../prose/index.js';
import { declaredInputs } from '../../runtime/plan.js';
import type { ProgramUnit } from '../../runtime/program.js';
import { isArray, type Value } from '../../runtime/values.js';

const BRACKETED = /^\s*\[(.*)\]\s*$/s;

/** `[api, ui]` → ["api", "ui"]; undefined when it is not words in brackets (quotes, nesting, an empty item). */
export function listWords(text: string): string[] | undefined {
  const inner = BRACKETED.exec(text)?.[1];
  if (inner === undefined || /["'[\]{}]/.test(inner)) return undefined;
  if (inner.trim() === '') return [];
  const words = inner.split(',').map((w) => w.trim());
  return words.some((w) => w === '') ? undefined : words;
}

/** A `type:` that names a list: `"list"`, `"array"`, `"list of component names"`, `"string[]"`. */
const LIST_TYPE = /^\s*(list|array)\b|\[\]\s*$/i;

function takesList(input: Input): boolean {
  const property = (name: string) => input.properties.find((p) => p.name.name === name)?.value;
  const fallback = property('default');
  const type = property('type');
  return fallback?.kind === 'Array' || (type?.kind === 'String' && type.interpolations.length === 0 && LIST_TYPE.test(type.value));
}

function shown(value: Value): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/**
 * Reads each given value of an input that takes a list: a list stays, `[a,b]` becomes the list
 * of its words, anything else is a usage error naming the input. Updates what the ledger keeps too.
 */
export function readListInputs(runArgs: { inputs: Map<string, Value>; given: Map<string, Value> }, unit: ProgramUnit): void {
  for (const input of declaredInputs(unit)) {
    const name = input.name.name;
    const value = runArgs.inputs.get(name);
    if (value === undefined || isArray(value) || !takesList(input)) continue;
    const words = typeof value === 'string' ? listWords(value) : undefined;
    if (words === undefined) {
      throw new UsageError(`The input ${name} takes a list, not ${shown(value)}. Nothing was started.`, {
        hint: `Quote the list as JSON, ${name}='["api","ui"]', or give its words in brackets, ${name}=[api,ui] (no spaces, or quote the whole argument).`,
      });
    }
    runArgs.inputs.set(name, words);
    if (runArgs.given.has(name)) runArgs.given.set(name, words);
  }
}

const OPENERS = /^\s*[[{"]/;

/**
 * When `args[at]` is not `key=value` but the argument before it opened a list, an object or a
 * string that it did not close, the shell split one value at a space: the error names the input
 * and shows the argument quoted whole. Undefined when it does not look like that.
 */
export function splitValueError(args: readonly string[], at: number, previous: { key: string; raw: string; value: Value } | undefined): UsageError | undefined {
  if (previous === undefined || typeof previous.value !== 'string' || !OPENERS.test(previous.raw)) return undefined;
  const pieces = [previous.raw];
  for (const piece of args.slice(at)) {
    pieces.push(piece);
    if (/[\]}"]\s*$/.test(piece)) break;
  }
  const whole = pieces.join(' ');
  const words = listWords(whole);
  const quoted = words === undefined ? `${previous.key}='${whole.replace(/'/g, `'\\''`)}'` : `${previous.key}='${JSON.stringify(words).replace(/","/g, '", "')}'`;
  return new UsageError(`The value of ${previous.key} was split by the shell at a space: '${args[at] ?? ''}' is the rest of ${previous.key}=${previous.raw}. Nothing was started.`, {
    hint: `Quote the whole value so it stays one argument: ${quoted}`,
  });
}
