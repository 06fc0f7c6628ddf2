import { UsageError } from '../../errors.js';
import { isRunSetting, resolveSettings, configSettings, type RunSettings } from '../../loop/settings.js';
import type { ResolvedConfig } from '../../config/load.js';
import { declaredInputs } from '../../runtime/plan.js';
import type { ProgramUnit } from '../../runtime/program.js';
import { fromJson, type Value } from '../../runtime/values.js';
import { splitValueError } from './run-list-args.js';

export interface RunArgs {
  /** Every `key=value` but `phase`: program inputs, and run settings (given to a program that declares them). */
  inputs: Map<string, Value>;
  /** `phase=NAME`: run only that phase. */
  phase: string | undefined;
  /** The arguments as given (phase aside): what the ledger keeps, and `prose resume` reuses. */
  given: Map<string, Value>;
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
 * `key=value` or `key:value` run arguments (whichever separator comes first). `phase` picks the
 * phase to run; the run settings (`mode`, `max_iterations`, `deadline`, …) shape the run; every
 * other key is a program input.
 */
export function parseRunArgs(args: readonly string[]): RunArgs {
  const inputs = new Map<string, Value>();
  let phase: string | undefined;
  let previous: { key: string; raw: string; value: Value } | undefined;
  for (const [i, arg] of args.entries()) {
    const at = arg.search(/[=:]/);
    const key = at < 0 ? arg : arg.slice(0, at);
    if (at < 0 || !KEY.test(key)) {
      throw splitValueError(args, i, previous) ?? new UsageError(`Cannot read the run argument '${arg}': expected key=value.`, { hint: "Pass inputs as name=value, JSON allowed: components='[\"api\",\"ui\"]'." });
    }
    if (inputs.has(key) || (key === 'phase' && phase !== undefined)) throw new UsageError(`The run argument '${key}' is given twice.`);
    const raw = arg.slice(at + 1);
    const value = readValue(raw);
    previous = { key, raw, value };
    if (key === 'phase') phase = String(value);
    else inputs.set(key, value);
  }
  return { inputs, phase, given: new Map(inputs) };
}

/** The literal `default:` of each input named like a run setting: the program's own idea of its caps. */
function settingDefaults(unit: ProgramUnit): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  for (const input of declaredInputs(unit)) {
    if (!isRunSetting(input.name.name)) continue;
    const value = input.properties.find((p) => p.name.name === 'default')?.value;
    if (value?.kind === 'String' && value.interpolations.length === 0) defaults.set(input.name.name, value.value);
    else if (value?.kind === 'Number' || value?.kind === 'Boolean') defaults.set(input.name.name, value.value);
  }
  return defaults;
}

/**
 * Resolves the run settings (run argument, choiros.yaml, the program's default, built-in) and
 * gives each one the program declares as an input to it, so the program's loop and the runner's
 * cap agree. Run settings the program does not declare are not its inputs.
 */
export function applySettings(runArgs: RunArgs, unit: ProgramUnit, config: ResolvedConfig, now?: Date): RunSettings {
  const given = new Map([...runArgs.inputs].filter(([key]) => isRunSetting(key)));
  const { settings, values } = resolveSettings({ args: given, config: configSettings(config), defaults: settingDefaults(unit) }, now);
  const declared = new Set(declaredInputs(unit).map((i) => i.name.name));
  for (const key of given.keys()) if (!declared.has(key)) runArgs.inputs.delete(key);
  for (const [name, value] of values) if (declared.has(name) && !runArgs.inputs.has(name)) runArgs.inputs.set(name, fromJson(value));
  return settings;
}
