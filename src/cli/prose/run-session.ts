import { resolve } from 'node:path';
import type { Project } from '../../config/load.js';
import { ExitCode, UsageError } from '../../errors.js';
import { isRunSetting, type RunSettings } from '../../loop/settings.js';
import { formatDiagnostic } from '../../prose/index.js';
import { newRunId } from '../../ledger/ledger.js';
import { DefaultOracle, ScriptedOracle } from '../../runtime/oracles.js';
import { declaredInputs, missingInputs, usesVerify } from '../../runtime/plan.js';
import { runProgram } from '../../runtime/run.js';
import type { Args, CommandContext } from '../command.js';
import { printWrapped } from '../../util/wrap.js';
import type { Output } from '../output.js';
import { applySettings, parseRunArgs, type RunArgs } from './run-args.js';
import { dryRunPorts } from './run-dry.js';
import { readListInputs } from './run-list-args.js';
import { loadProgram, type Loaded } from './run-load.js';
import { takeRunLock } from './run-lock.js';
import { settleLeftBehind } from './run-orphans.js';
import { exitCodeOf, recordRun } from './run-record.js';
import { executeRecorded, prepareRun, type RunFlags } from './run-recorded.js';
import { openSurface, type RunSurface } from './run-surface.js';
import { readAnswersFile } from './run-wiring.js';

interface Flags extends RunFlags {
  file: string;
  dryRun: boolean;
  json: boolean;
}

export function runFlagsOf(args: Args): RunFlags & { json: boolean } {
  const maxLoop = args.maxLoop as number | undefined;
  if (maxLoop !== undefined && (!Number.isInteger(maxLoop) || maxLoop <= 0)) throw new UsageError('--max-loop: expected a positive whole number');
  return { json: args.json === true, answers: args.answers as string | undefined, oracle: args.oracle as Flags['oracle'], maxLoop };
}

/** Prints every diagnostic (stderr); false when there are errors and the program must not run. */
export function reportProblems(loaded: Loaded, out: Output): boolean {
  let errors = 0;
  for (const { diagnostic, source } of loaded.problems) {
    if (diagnostic.severity === 'error') errors += 1;
    // An unknown phase=NAME is not at 1:1 of the program: no position, no code frame.
    if (diagnostic.code === 'P106') out.note(`${out.style.red('error')}: ${diagnostic.message}.`);
    else out.note(formatDiagnostic(diagnostic, source, out.style, out.wrapAt));
  }
  if (errors > 0) out.note(`${loaded.unit.source.path}: ${errors} error${errors === 1 ? '' : 's'}: nothing was run.`);
  return errors === 0;
}

/**
 * A program that verifies needs gates: without any, its first `verify` would fail after agents
 * had already been paid to work. Told before anything runs (a dry run runs no gate).
 */
export function ensureGates(loaded: Loaded, phase: string | undefined, config: Project['config']): void {
  if (Object.keys(config.verify ?? {}).length > 0 || !usesVerify(loaded.unit, phase)) return;
  throw new UsageError(`${loaded.unit.source.path} verifies, but choiros.yaml defines no gates under \`verify:\`. Nothing was started.`, {
    hint: 'Add the checks the agents\u2019 work must pass, for example `verify: { unit: { run: "npm test" } }` (`choiros init` detects them for a new project); `prose run --dry-run` tries the program without them.',
  });
}

/** Unknown names are an error before anything runs; so are missing ones when no one can be asked. */
function checkInputs(loaded: Loaded, runArgs: RunArgs, interactive: boolean): string[] {
  const declared = declaredInputs(loaded.unit);
  const names = new Set(declared.map((i) => i.name.name));
  const unknown = [...runArgs.given.keys()].filter((k) => !names.has(k) && !isRunSetting(k));
  if (unknown.length > 0) {
    const list = names.size === 0 ? 'it declares none' : `its inputs are ${[...names].join(', ')}`;
    throw new UsageError(`Unknown input${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `\`${u}\``).join(', ')}: ${list}.`, {
      hint: 'phase=NAME and the run settings (mode, max_iterations, deadline, agent_timeout, checkpoint_interval, test_threshold, rollback_on_failure) shape the run; every other key=value names an input.',
    });
  }
  const missing = missingInputs(loaded.unit, runArgs.phase, new Set(runArgs.inputs.keys()));
  const all = [...missing.before, ...missing.later];
  if (!interactive && all.length > 0) {
    const described = all.map((name) => {
      const prompt = declared.find((i) => i.name.name === name)?.prompt;
      return prompt?.kind === 'String' ? `${name} ("${prompt.value.trim().split('\n')[0]}")` : name;
    });
    throw new UsageError(`Missing input${all.length > 1 ? 's' : ''}: ${described.join(', ')}. Nothing was started.`, { hint: `Pass ${all.map((n) => `${n}=VALUE`).join(' ')} (JSON values allowed), or run it on a terminal to be asked.` });
  }
  return missing.before;
}

/**
 * Asks a terminal for the inputs the run needs before it starts (those declared before anything
 * runs); the answers are recorded with the run's arguments. Inputs further down are asked by the
 * run when it reaches them, and journaled there.
 */
async function askBefore(surface: RunSurface, loaded: Loaded, names: readonly string[], runArgs: RunArgs, signal: AbortSignal): Promise<void> {
  for (const name of names) {
    const prompt = declaredInputs(loaded.unit).find((i) => i.name.name === name)?.prompt;
    const text = prompt?.kind === 'String' ? prompt.value.trim() : name;
    const value = await surface.inputs.ask(name, text, signal);
    if (value === undefined) throw new UsageError(`Missing input: ${name}. Nothing was started.`);
    runArgs.inputs.set(name, value);
    runArgs.given.set(name, value);
  }
}

async function dryRun(project: Project, loaded: Loaded, runArgs: RunArgs, settings: RunSettings, flags: Flags, surface: RunSurface, ctx: CommandContext): Promise<number> {
  const oracle = flags.answers === undefined ? new DefaultOracle() : new ScriptedOracle(await readAnswersFile(flags.answers, ctx.cwd));
  const outcome = await runProgram({
    unit: loaded.unit,
    inputs: runArgs.inputs,
    phase: runArgs.phase,
    // An input further down is asked when the dry run reaches it, as in a real run.
    ports: { ...dryRunPorts(oracle), inputs: surface.inputs },
    signal: ctx.signal,
    onEvent: surface.emit,
    runId: null,
    autonomous: settings.mode === 'autonomous',
    dryRun: true,
    limits: { maxParallelAgents: project.config.max_parallel_agents, ...(flags.maxLoop === undefined ? {} : { loopCap: flags.maxLoop }) },
  });
  return exitCodeOf(outcome.status);
}

/** A new run: the project's run lock, a record in the ledger, then the run. */
async function realRun(project: Project, loaded: Loaded, runArgs: RunArgs, settings: RunSettings, flags: Flags, surface: RunSurface, ctx: CommandContext, notes: string[]): Promise<number> {
  const runId = newRunId(new Date());
  const prepared = await prepareRun(project, loaded, runArgs, flags, surface, ctx, runId);
  const release = takeRunLock(project.root, runId);
  try {
    const recorded = await recordRun(project, runId, resolve(ctx.cwd, flags.file), loaded.unit, loaded.hash, { args: runArgs.given, phase: runArgs.phase, mode: settings.mode, secrets: prepared.secrets });
    try {
      await settleLeftBehind(recorded.ledger, project, prepared.warn);
      return await executeRecorded({ project, loaded, runArgs, settings, flags, surface, ctx, prepared, ledger: recorded.ledger, runId, deadlineFrom: new Date(recorded.ledger.run(runId).startedAt), notes, fresh: true });
    } finally {
      recorded.ledger.close();
    }
  } finally {
    release();
  }
}

/** `prose run FILE [key=value…]`: check, ask for what is missing, record, run, and exit by DESIGN.md's codes. */
export async function runProse(args: Args, ctx: CommandContext): Promise<number> {
  const flags: Flags = { ...runFlagsOf(args), file: String(args.file), dryRun: args.dryRun === true };
  const runArgs = parseRunArgs((args.inputs as string[] | undefined) ?? []);
  const project = await ctx.project();
  const config = project.config;
  // A dry run runs no gate, so it does not need them defined.
  const gates = flags.dryRun ? undefined : Object.keys(config.verify ?? {});
  const loaded = loadProgram(flags.file, ctx.cwd, { project, gates, agents: Object.keys(config.agents ?? {}), phase: runArgs.phase });
  if (!reportProblems(loaded, ctx.out)) return ExitCode.usage;
  if (!flags.dryRun) ensureGates(loaded, runArgs.phase, config);
  readListInputs(runArgs, loaded.unit);
  const settings = applySettings(runArgs, loaded.unit, config);
  // Prompts need the keyboard too: `echo | prose run …` on a terminal shows the view but asks nothing.
  const interactive = ctx.out.isTTY && ctx.stdin.isTTY === true && !flags.json && settings.mode !== 'autonomous';
  const before = checkInputs(loaded, runArgs, interactive);
  const surface = await openSurface(ctx, { json: flags.json, interactive, program: { unit: loaded.unit, phase: runArgs.phase } });
  const notes: string[] = [];
  try {
    await askBefore(surface, loaded, before, runArgs, ctx.signal);
    return flags.dryRun ? await dryRun(project, loaded, runArgs, settings, flags, surface, ctx) : await realRun(project, loaded, runArgs, settings, flags, surface, ctx, notes);
  } finally {
    await surface.close();
    for (const note of notes) printWrapped(ctx.out.note, note, ctx.out.wrapAt, { hanging: '  ' });
  }
}
