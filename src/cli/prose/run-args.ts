import { UsageError } from '../../errors.js';
import { fromJson, type Value } from '../../runtime/values.js';

export interface RunArgs {
  inputs: Map<string, Value>;
  /** `phase=NAME`: run only that phase. */
  phase: string | undefined;
  /** `mode=autonomous`: never wait for a human. Also given to the program when it declares `input mode`. */
  mode: string | undefined;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `3` → 3, `true` → true, `["a","b"]` → a list; anything that is not JSON stays text. */
export function readValue(text: string): Value {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[[{"\d-]|^(true|false|null)$/.test(trimmed)) return text;
  try {
    return fromJson(JSON.parse(trimmed));
  } catch {
    return text;
  }
}

/**
 * `key=value` or `key:value` run arguments (whichever separator comes first). `phase` and `mode`
 * are run settings; every other key is a program input.
 */
export function parseRunArgs(args: readonly string[]): RunArgs {
  const inputs = new Map<string, Value>();
  let phase: string | undefined;
  let mode: string | undefined;
  for (const arg of args) {
    const at = arg.search(/[=:]/);
    const key = at < 0 ? arg : arg.slice(0, at);
    if (at < 0 || !KEY.test(key)) {
      throw new UsageError(`Cannot read the run argument '${arg}': expected key=value.`, { hint: "Pass inputs as name=value, JSON allowed: components='[\"api\",\"ui\"]'." });
    }
    if (inputs.has(key)) throw new UsageError(`The run argument '${key}' is given twice.`);
    const value = readValue(arg.slice(at + 1));
    if (key === 'phase') phase = String(value);
    if (key === 'mode') {
      mode = String(value);
      if (mode !== 'autonomous' && mode !== 'assisted') throw new UsageError(`mode=${mode}: expected mode=assisted or mode=autonomous.`);
    }
    inputs.set(key, value);
  }
  inputs.delete('phase');
  return { inputs, phase, mode };
}
