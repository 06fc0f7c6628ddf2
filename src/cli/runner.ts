import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Project } from '../config/load.js';
import { CancelledError, ExitCode, UsageError } from '../errors.js';
import { finishing } from '../process/finishing.js';
import { parseArgv } from './argv.js';
import { GLOBAL_OPTIONS, projectArgs, type Args, type CommandContext, type CommandSpec, type OptionSpec } from './command.js';
import { makeOutput, type Output } from './output.js';

/**
 * A command whose module is imported only when it runs (or when help lists every command):
 * loading twenty command modules costs ~25 ms on a slow machine, on the path of every command.
 */
export interface LazyCommand {
  name: string;
  load: () => Promise<CommandSpec>;
}

export interface Program {
  /** `choiros` or `prose`. */
  name: string;
  describe: string;
  commands: ReadonlyArray<CommandSpec | LazyCommand>;
}

function resolveCommand(entry: CommandSpec | LazyCommand): Promise<CommandSpec> {
  return 'load' in entry ? entry.load() : Promise.resolve(entry);
}

/** Every command's spec (for help, completion and tests). */
export function loadCommands(program: Program): Promise<CommandSpec[]> {
  return Promise.all(program.commands.map(resolveCommand));
}

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Output['stdout'];
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadStream;
  signal: AbortSignal;
}

const SELF_SCRIPT = fileURLToPath(new URL('../../bin/choiros.js', import.meta.url));

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function allOptions(spec: CommandSpec): Record<string, OptionSpec> {
  return { ...GLOBAL_OPTIONS, ...spec.options };
}

function findSpec(commands: readonly CommandSpec[], argv: readonly string[]): { spec: CommandSpec; depth: number } | undefined {
  const first = commands.find((c) => c.name === argv[0]);
  if (first === undefined) return undefined;
  if (first.subcommands === undefined) return { spec: first, depth: 1 };
  const sub = first.subcommands.find((c) => c.name === argv[1]);
  return sub === undefined ? undefined : { spec: sub, depth: 2 };
}

/**
 * Parses the common, well-formed invocations without loading yargs (see argv.ts). Anything it
 * is not sure about — help, version, unknown options, missing positionals — returns undefined
 * and goes to full yargs, which owns help text and error messages.
 */
export function fastParse(commands: readonly CommandSpec[], argv: readonly string[]): { spec: CommandSpec; args: Args } | undefined {
  if (argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a.startsWith('--get-yargs'))) return undefined;
  const found = findSpec(commands, argv);
  if (found?.spec.run === undefined) return undefined;
  const { spec, depth } = found;
  const options = allOptions(spec);
  const parsed = parseArgv(argv.slice(depth), options);
  if (parsed === undefined) return undefined;
  for (const [name, option] of Object.entries(options)) {
    const value = parsed.values[name];
    if (value !== undefined && option.choices !== undefined && !option.choices.includes(String(value))) return undefined;
  }
  const positionals = parsed.positionals;
  const specs = spec.positionals ?? [];
  if (specs.filter((p) => p.required).length > positionals.length) return undefined;
  if (!specs.some((p) => p.variadic) && positionals.length > specs.length) return undefined;
  return { spec, args: projectArgs(spec, parsed.values, positionals) };
}

/** The project of `cwd` (with `--config`), loaded once on first use. */
export function projectLoader(cwd: string, configFlag: string | undefined, env: NodeJS.ProcessEnv): () => Promise<Project> {
  let project: Promise<Project> | undefined;
  return () => {
    project ??= import('../config/load.js').then(({ loadProject }) => loadProject({ cwd, configFlag, env }));
    return project;
  };
}

function makeContext(io: Io, out: Output, configFlag: string | undefined): CommandContext {
  return {
    cwd: io.cwd,
    env: io.env,
    out,
    stdin: io.stdin,
    signal: io.signal,
    self: { node: process.execPath, script: SELF_SCRIPT },
    project: projectLoader(io.cwd, configFlag, io.env),
  };
}

async function runSpec(spec: CommandSpec, args: Args, io: Io, out: Output): Promise<number> {
  if (spec.run === undefined) throw new UsageError(`'${spec.name}' needs a subcommand`);
  const code = await spec.run(args, makeContext(io, out, args.config as string | undefined));
  if (io.signal.aborted && spec.finishesWhatItStarts !== true) throw new CancelledError();
  return code ?? ExitCode.ok;
}

/** Runs one command line to completion and returns the exit code; never throws. */
export async function runProgram(program: Program, argv: readonly string[], io: Io): Promise<number> {
  const out = makeOutput(io.stdout, io.stderr, io.env);
  try {
    // Scripts ask for the version to check an install: without loading yargs, which is most of
    // the time this would take.
    if (argv.length === 1 && argv[0] === '--version') {
      out.line(version());
      return ExitCode.ok;
    }
    const entry = program.commands.find((c) => c.name === argv[0]);
    const fast = entry === undefined ? undefined : fastParse([await resolveCommand(entry)], argv);
    if (fast !== undefined) return await runSpec(fast.spec, fast.args, io, out);
    const [{ runWithYargs }, commands] = await Promise.all([import('./yargs.js'), loadCommands(program)]);
    return await runWithYargs({ ...program, commands }, argv, out, (spec, args) => runSpec(spec, args, io, out));
  } catch (error) {
    // Loaded only when there is an error to report: it brings the text wrapper with it, and a
    // command that succeeds (start, status) should not load either before it gets to work.
    const { handleError } = await import('./handle-error.js');
    return handleError(error, out);
  }
}

/**
 * The process entry: wires real streams and signals, then sets the exit code.
 *
 * Ctrl-C, SIGTERM and SIGHUP abort the command's signal; the command then gets five seconds to
 * stop before the process exits anyway, and a second Ctrl-C exits at once — except while work
 * that must not be cut short runs (a rollback moving files, process/finishing.ts): the process
 * waits for it to end first.
 */
export async function main(program: Program, argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let told = false;
  /** Exits now, or as soon as the work that must not be cut short has ended. */
  const exitWhenFinished = (): void => {
    if (!finishing()) process.exit(ExitCode.cancelled);
    if (!told) {
      told = true;
      process.stderr.write('choiros: finishing what has started, so that nothing is left half-done; it ends in a moment.\n');
    }
    setTimeout(exitWhenFinished, 50).unref();
  };
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) exitWhenFinished();
    controller.abort(new CancelledError());
  });
  const stop = (reason: string) => {
    controller.abort(new CancelledError(reason));
    // A command that does not watch the signal must not outlive a polite request to stop.
    setTimeout(exitWhenFinished, 5000).unref();
  };
  process.on('SIGTERM', () => stop('Terminated'));
  // The terminal went away (an ssh session dropped): stop as for SIGTERM — a run ends its
  // agents' process trees rather than leave them editing files unwatched — and write nowhere.
  let hungUp = false;
  process.on('SIGHUP', () => {
    hungUp = true;
    stop('Hung up: the terminal closed');
  });
  const lostTerminal = (error: NodeJS.ErrnoException) => hungUp || error.code === 'EIO';
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `choiros logs | head` closes the pipe early: that is a normal way to stop reading.
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    if (lostTerminal(error)) return;
    throw error;
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && !lostTerminal(error)) throw error;
  });
  const code = await runProgram(program, argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal: controller.signal,
  });
  process.exitCode = code;
}
