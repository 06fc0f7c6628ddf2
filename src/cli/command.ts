import type { Project } from '../config/load.js';
import type { Output } from './output.js';

export interface OptionSpec {
  type: 'boolean' | 'string' | 'number';
  describe: string;
  alias?: string;
  default?: boolean | string | number;
  choices?: readonly string[];
  /** Repeatable (`--exclude a --exclude b`). */
  array?: boolean;
  hidden?: boolean;
}

export interface PositionalSpec {
  name: string;
  describe: string;
  required?: boolean;
  /** Takes every remaining positional. */
  variadic?: boolean;
}

/** The parsed arguments a command receives: option and positional names in camelCase. */
export type Args = Record<string, unknown>;

export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  stdin: NodeJS.ReadStream;
  /** Aborted on Ctrl-C; long-running commands end cleanly when it fires. */
  signal: AbortSignal;
  /** The project, loaded on first use (`--config` or choiros.yaml, else built-in defaults). */
  project(): Promise<Project>;
  /** The path and node binary to run choiros itself (for windows and the supervisor). */
  self: { node: string; script: string };
}

/**
 * A command is data (name, options, positionals) plus a handler. The same spec drives both the
 * fast path (yargs-parser only) and full yargs (help, completion, errors).
 */
export interface CommandSpec {
  name: string;
  describe: string;
  positionals?: readonly PositionalSpec[];
  options?: Readonly<Record<string, OptionSpec>>;
  examples?: ReadonlyArray<readonly [string, string]>;
  hidden?: boolean;
  subcommands?: readonly CommandSpec[];
  /**
   * The command watches `ctx.signal` itself: it stops with CancelledError while nothing is
   * changed, and once it has changed something it finishes and reports what it did — so a late
   * Ctrl-C does not turn a rollback that happened into exit 130 ("cancelled").
   */
  finishesWhatItStarts?: boolean;
  /** Returns the exit code (default 0). Absent on a group whose subcommand is required. */
  run?: (args: Args, ctx: CommandContext) => Promise<number | void>;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  config: { type: 'string', describe: 'path to choiros.yaml (default: ./choiros.yaml, else built-in defaults)' },
};

export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The command line as yargs shows it: `restart <window>`, `logs [window]`. */
export function usageOf(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => {
    const inner = p.variadic ? `${p.name}..` : p.name;
    return p.required ? `<${inner}>` : `[${inner}]`;
  });
  return [spec.name, ...positionals].join(' ');
}

/** Builds a command's arguments from parsed values, keeping only what the spec declares. */
export function projectArgs(spec: CommandSpec, parsed: Record<string, unknown>, positionals: readonly unknown[]): Args {
  const args: Args = {};
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  for (const [name, option] of Object.entries(options)) {
    const value = parsed[camelCase(name)] ?? parsed[name];
    if (value !== undefined) args[camelCase(name)] = value;
    else if (option.default !== undefined) args[camelCase(name)] = option.default;
  }
  let i = 0;
  for (const p of spec.positionals ?? []) {
    if (p.variadic) {
      args[camelCase(p.name)] = positionals.slice(i).map(String);
      i = positionals.length;
    } else if (i < positionals.length) {
      args[camelCase(p.name)] = String(positionals[i++]);
    }
  }
  return args;
}
