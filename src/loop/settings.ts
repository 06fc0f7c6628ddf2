/**
 * Run settings: what shapes a run rather than what a program computes — its mode and its hard
 * caps. Each comes from, in order: a run argument (`max_iterations=5`), choiros.yaml (`run:`,
 * `checkpoints.interval`), the program's own `input NAME` default, or a built-in default. A
 * program that declares an input of the same name is given the same value, so the loop the
 * program writes and the cap the runner enforces never disagree. Pure.
 */
import { formatDuration, isBareNumber, parseDuration } from '../config/units.js';
import { UsageError } from '../errors.js';

export const RUN_SETTINGS = ['mode', 'max_iterations', 'deadline', 'agent_timeout', 'checkpoint_interval', 'test_threshold', 'rollback_on_failure'] as const;
export type SettingName = (typeof RUN_SETTINGS)[number];

export function isRunSetting(key: string): key is SettingName {
  return (RUN_SETTINGS as readonly string[]).includes(key);
}

/** An autonomous run never runs unbounded: without a `max_iterations` from anywhere, this. */
export const AUTONOMOUS_MAX_ITERATIONS = 10;

export interface RunSettings {
  mode: 'assisted' | 'autonomous';
  /** Failed verifications in a row before no agent may start (exit 3). */
  maxIterations: number | undefined;
  /** As written: `07:00`, an ISO time, or a duration from the start of the run. */
  deadline: string | undefined;
  /** Caps every agent call's hard timeout. */
  agentTimeoutMs: number | undefined;
  /** Automatic checkpoints while agents work (autonomous runs); undefined: none. */
  checkpointIntervalMs: number | undefined;
  /** The pass rate a test gate needs when it sets none of its own. */
  testThreshold: number | undefined;
  rollbackOnFailure: boolean;
}

export interface SettingSources {
  /** Run arguments. */
  args: ReadonlyMap<string, unknown>;
  /** choiros.yaml, already read into the run arguments' forms (`45m`, `07:00`, 10). */
  config: Readonly<Partial<Record<SettingName, unknown>>>;
  /** The program's literal `default:` of an input named like a setting. */
  defaults: ReadonlyMap<string, unknown>;
}

type Parsed = string | number | boolean | undefined;

function problem(name: SettingName, value: unknown, from: string, expected: string): UsageError {
  return new UsageError(`${name}=${typeof value === 'string' ? value : JSON.stringify(value)} (${from}): expected ${expected}.`);
}

/**
 * A duration with its unit. A bare number is refused: `agent_timeout=30` reads as seconds to a
 * program and as minutes to a person, and a cap that ends every agent after 30 s is no cap.
 */
function duration(value: unknown): number | undefined {
  if (typeof value !== 'string' || isBareNumber(value)) return undefined;
  return parseDuration(value);
}

/** How often to checkpoint: a bare number is minutes (the default is "every 5 minutes", so `10` means every 10). */
const MINUTE_MS = 60_000;

/** Checks one value and turns it into the form `RunSettings` holds; undefined means "off" for the interval. */
function parse(name: SettingName, value: unknown, from: string, now: Date): Parsed {
  switch (name) {
    case 'mode':
      if (value === 'assisted' || value === 'autonomous') return value;
      throw problem(name, value, from, 'assisted or autonomous');
    case 'max_iterations': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n) && n >= 1) return n;
      throw problem(name, value, from, 'a whole number of failed verifications, 1 or more');
    }
    case 'deadline':
      if (typeof value === 'string' && deadlineAt(value, now) !== undefined) return value;
      throw problem(name, value, from, 'a time of day (07:00), an ISO date and time, or a duration from the start with its unit (8h)');
    case 'agent_timeout': {
      const ms = duration(value);
      if (ms !== undefined && ms > 0) return ms;
      throw problem(name, value, from, `a duration with its unit, like 20m or 1h${isBareNumber(value) ? ' (a bare number could be seconds or minutes)' : ''}`);
    }
    case 'checkpoint_interval': {
      if (value === false || value === 'off' || value === 0 || value === '0') return undefined;
      const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(value, MINUTE_MS) : undefined;
      if (ms !== undefined && ms > 0) return ms;
      throw problem(name, value, from, 'a duration like 5m (a bare number is minutes), or off');
    }
    case 'test_threshold': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && n >= 0 && n <= 1) return n;
      throw problem(name, value, from, 'a pass rate between 0 and 1 (0.85)');
    }
    case 'rollback_on_failure':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw problem(name, value, from, 'true or false');
  }
}

const BUILT_IN: Readonly<Partial<Record<SettingName, unknown>>> = { mode: 'assisted', rollback_on_failure: true };

/**
 * Resolves every setting, first source first. `values` holds each setting that has a value from
 * somewhere, as given, for the program inputs of the same name.
 */
export function resolveSettings(sources: SettingSources, now: Date = new Date()): { settings: RunSettings; values: Map<SettingName, unknown> } {
  const values = new Map<SettingName, unknown>();
  const parsed = new Map<SettingName, Parsed>();
  for (const name of RUN_SETTINGS) {
    const found = [
      ['run argument', sources.args.get(name)],
      ['choiros.yaml', sources.config[name]],
      ['the program\u2019s default', sources.defaults.get(name)],
      ['built-in', BUILT_IN[name]],
    ].find(([, v]) => v !== undefined && v !== null) as [string, unknown] | undefined;
    if (found === undefined) continue;
    parsed.set(name, parse(name, found[1], found[0], now));
    values.set(name, found[1]);
  }
  const mode = (parsed.get('mode') ?? 'assisted') as RunSettings['mode'];
  if (mode === 'autonomous' && !parsed.has('max_iterations')) {
    parsed.set('max_iterations', AUTONOMOUS_MAX_ITERATIONS);
    values.set('max_iterations', AUTONOMOUS_MAX_ITERATIONS);
  }
  const get = <T>(name: SettingName) => parsed.get(name) as T | undefined;
  return {
    settings: {
      mode,
      maxIterations: get<number>('max_iterations'),
      deadline: get<string>('deadline'),
      agentTimeoutMs: get<number>('agent_timeout'),
      checkpointIntervalMs: mode === 'autonomous' ? get<number>('checkpoint_interval') : undefined,
      testThreshold: get<number>('test_threshold'),
      rollbackOnFailure: get<boolean>('rollback_on_failure') ?? true,
    },
    values,
  };
}

const TIME_OF_DAY = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * When a deadline falls, counted from `from` (the start of the run): `07:00` is the next 07:00
 * after it (tomorrow's when it is later than 07:00 already), an ISO date and time is itself,
 * and a duration with its unit (`8h`) runs from `from`. Undefined when it reads as none of these.
 */
export function deadlineAt(text: string, from: Date): Date | undefined {
  const clock = TIME_OF_DAY.exec(text.trim());
  if (clock !== null) {
    const at = new Date(from);
    at.setHours(Number(clock[1]), Number(clock[2]), 0, 0);
    if (at.getTime() <= from.getTime()) at.setDate(at.getDate() + 1);
    return at;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text.trim())) {
    const at = new Date(text.trim());
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  // `deadline=7` could mean 07:00, 7 hours or 7 seconds: a duration needs its unit.
  const ms = isBareNumber(text) ? undefined : parseDuration(text);
  return ms === undefined || ms <= 0 ? undefined : new Date(from.getTime() + ms);
}

/** choiros.yaml's `run:` and `checkpoints.interval` in the forms a run argument takes. */
export function configSettings(config: { run?: { max_iterations?: number | undefined; deadline?: string | undefined; agent_timeout?: number | undefined; rollback_on_failure?: boolean | undefined } | undefined; checkpoints?: { interval: number } | undefined }): Partial<Record<SettingName, unknown>> {
  const run = config.run ?? {};
  const interval = config.checkpoints?.interval;
  return {
    ...(run.max_iterations === undefined ? {} : { max_iterations: run.max_iterations }),
    ...(run.deadline === undefined ? {} : { deadline: run.deadline }),
    ...(run.agent_timeout === undefined ? {} : { agent_timeout: formatDuration(run.agent_timeout) }),
    ...(run.rollback_on_failure === undefined ? {} : { rollback_on_failure: run.rollback_on_failure }),
    ...(interval === undefined ? {} : { checkpoint_interval: interval === 0 ? 'off' : formatDuration(interval) }),
  };
}
