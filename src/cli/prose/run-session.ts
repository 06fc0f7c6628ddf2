import { resolve } from 'node:path';
import type { Project } from '../../config/load.js';
import { ExitCode, UsageError } from '../../errors.js';
import { formatDiagnostic } from '../../prose/index.js';
import type { Ports } from '../../runtime/context.js';
import { newRunId } from '../../ledger/ledger.js';
import { LedgerJournal } from '../../runtime/ledger-journal.js';
import { DefaultOracle, ScriptedOracle } from '../../runtime/oracles.js';
import { agentsUsed, declaredInputs, missingInputs, usesDiscretion } from '../../runtime/plan.js';
import { runProgram, type RunOutcome } from '../../runtime/run.js';
import { collectSecrets, Redactor } from '../../notify/redact.js';
import type { Args, CommandContext } from '../command.js';
import type { Output } from '../output.js';
import { parseRunArgs, type RunArgs } from './run-args.js';
import { dryRunPorts } from './run-dry.js';
import { GitCheckpoints } from './run-checkpoints.js';
import { loadProgram, type Loaded } from './run-load.js';
import { observeRun } from './run-observers.js';
import { pollControl } from './run-ports.js';
import { exitCodeOf, finishRecord, recordRun, runLogDir } from './run-record.js';
import { openSurface, type RunSurface } from './run-surface.js';
import { agentRouter, checkAgentBinaries, oracleFor, readAnswersFile, realPorts } from './run-wiring.js';

interface Flags {
  file: string;
  dryRun: boolean;
  json: boolean;
  answers: string | undefined;
  oracle: 'judge' | 'default' | undefined;
  maxLoop: number | undefined;
}

function flagsOf(args: Args): Flags {
  const maxLoop = args.maxLoop as number | undefined;
  if (maxLoop !== undefined && (!Number.isInteger(maxLoop) || maxLoop <= 0)) throw new UsageError('--max-loop: expected a positive whole number');
  return { file: String(args.file), dryRun: args.dryRun === true, json: args.json === true, answers: args.answers as string | undefined, oracle: args.oracle as Flags['oracle'], maxLoop };
}

/** Prints every diagnostic (stderr); false when there are errors and the program must not run. */
function reportProblems(loaded: Loaded, out: Output): boolean {
  let errors = 0;
  for (const { diagnostic, source } of loaded.problems) {
    if (diagnostic.severity === 'error') errors += 1;
    out.note(formatDiagnostic(diagnostic, source, out.style));
  }
  if (errors > 0) out.note(`${loaded.unit.source.path}: ${errors} error${errors === 1 ? '' : 's'}: nothing was run.`);
  return errors === 0;
}

/** Unknown names are an error before anything runs; so are missing ones when no one can be asked. */
function checkInputs(loaded: Loaded, runArgs: RunArgs, interactive: boolean): string[] {
  const declared = declaredInputs(loaded.unit);
  const names = new Set(declared.map((i) => i.name.name));
  const unknown = [...runArgs.inputs.keys()].filter((k) => !names.has(k) && k !== 'mode');
  if (unknown.length > 0) {
    const list = names.size === 0 ? 'it declares none' : `its inputs are ${[...names].join(', ')}`;
    throw new UsageError(`Unknown input${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `\`${u}\``).join(', ')}: ${list}.`, { hint: 'phase=NAME and mode=autonomous|assisted are run settings; every other key=value names an input.' });
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

/** Asks a terminal for the inputs the run needs before it starts. */
async function askBefore(surface: RunSurface, loaded: Loaded, names: readonly string[], runArgs: RunArgs, signal: AbortSignal): Promise<void> {
  for (const name of names) {
    const prompt = declaredInputs(loaded.unit).find((i) => i.name.name === name)?.prompt;
    const text = prompt?.kind === 'String' ? prompt.value.trim() : name;
    const value = await surface.inputs.ask(name, text, signal);
    if (value === undefined) throw new UsageError(`Missing input: ${name}. Nothing was started.`);
    runArgs.inputs.set(name, value);
  }
}

async function execute(ports: Ports, loaded: Loaded, runArgs: RunArgs, flags: Flags, surface: RunSurface, signal: AbortSignal, runId: string | null, maxParallelAgents: number): Promise<RunOutcome> {
  return runProgram({
    unit: loaded.unit,
    inputs: runArgs.inputs,
    phase: runArgs.phase,
    ports,
    signal,
    onEvent: surface.emit,
    runId,
    autonomous: runArgs.mode === 'autonomous',
    dryRun: flags.dryRun,
    limits: { maxParallelAgents, ...(flags.maxLoop === undefined ? {} : { loopCap: flags.maxLoop }) },
  });
}

async function dryRun({ config }: Project, loaded: Loaded, runArgs: RunArgs, flags: Flags, surface: RunSurface, ctx: CommandContext): Promise<number> {
  const oracle = flags.answers === undefined ? new DefaultOracle() : new ScriptedOracle(await readAnswersFile(flags.answers, ctx.cwd));
  const outcome = await execute(dryRunPorts(oracle), loaded, runArgs, flags, surface, ctx.signal, null, config.max_parallel_agents);
  return exitCodeOf(outcome.status);
}

/** What a recorded run needs before it starts: a run id, where it logs, its agents (checked), its oracle. */
async function prepare(project: Project, loaded: Loaded, runArgs: RunArgs, flags: Flags, surface: RunSurface, ctx: CommandContext) {
  const secrets = new Redactor(collectSecrets({ env: ctx.env, configValues: (project.config.notify ?? []).flatMap((n) => [n.url, ...(n.secret === undefined ? [] : [n.secret])]) }));
  const runId = newRunId(new Date());
  const grace = project.config.stop_grace;
  // Agents, commands and gates know which run they serve (`choiros checkpoint` records it).
  const env = { ...ctx.env, CHOIROS_RUN_ID: runId };
  const place = { root: project.root, home: project.home, env, secrets, logDir: runLogDir(project, runId), ...(grace === undefined ? {} : { killGraceMs: grace }) };
  const router = await agentRouter(project, place);
  const warn = (message: string) => surface.emit({ type: 'warning', message, at: undefined });
  const { oracle, judge } = await oracleFor(flags, project, router, ctx.cwd, warn);
  const agents = agentsUsed(loaded.unit, runArgs.phase);
  checkAgentBinaries(router, judge !== undefined && usesDiscretion(loaded.unit) ? [...agents, judge] : agents, ctx.env, project.root);
  return { secrets, runId, place, router, oracle, warn };
}

async function realRun(project: Project, loaded: Loaded, runArgs: RunArgs, flags: Flags, surface: RunSurface, ctx: CommandContext): Promise<number> {
  const { secrets, runId, place, router, oracle, warn } = await prepare(project, loaded, runArgs, flags, surface, ctx);
  const recorded = await recordRun(project, runId, resolve(ctx.cwd, flags.file), loaded.unit, loaded.hash, { args: runArgs.inputs, phase: runArgs.phase, mode: runArgs.mode, secrets });
  const observers = await observeRun(project, recorded.ledger, runId, ctx.env, warn);
  const cancel = new AbortController();
  const control = pollControl(recorded.ledger, runId, () => cancel.abort());
  const journal = new LedgerJournal(recorded.ledger, runId, { secrets, onStored: observers.onStored });
  observers.attach(() => journal.publish());
  const checkpoints = new GitCheckpoints(project, runId, { env: place.env, self: ctx.self });
  const ports = realPorts({ place, router, oracle, journal, control, checkpoints, gates: surface.gates, inputs: surface.inputs, project });
  let outcome: RunOutcome | undefined;
  try {
    outcome = await execute(ports, loaded, runArgs, flags, surface, AbortSignal.any([ctx.signal, cancel.signal]), runId, project.config.max_parallel_agents);
    return exitCodeOf(outcome.status);
  } finally {
    control.stop();
    if (outcome === undefined) recorded.ledger.finishRun(runId, 'failed', 'internal error');
    else finishRecord(recorded, outcome, secrets);
    observers.track();
    await observers.close();
    recorded.ledger.close();
  }
}

/** `prose run FILE [key=value…]`: check, ask for what is missing, record, run, and exit by DESIGN.md's codes. */
export async function runProse(args: Args, ctx: CommandContext): Promise<number> {
  const flags = flagsOf(args);
  const runArgs = parseRunArgs((args.inputs as string[] | undefined) ?? []);
  const project = await ctx.project();
  const config = project.config;
  // A dry run runs no gate, so it does not need them defined.
  const gates = flags.dryRun ? undefined : Object.keys(config.verify ?? {});
  const loaded = loadProgram(flags.file, ctx.cwd, { project, gates, agents: Object.keys(config.agents ?? {}), phase: runArgs.phase });
  if (!reportProblems(loaded, ctx.out)) return ExitCode.usage;
  const autonomous = runArgs.mode === 'autonomous';
  // Prompts need the keyboard too: `echo | prose run …` on a terminal shows the view but asks nothing.
  const interactive = ctx.out.isTTY && ctx.stdin.isTTY === true && !flags.json && !autonomous;
  const before = checkInputs(loaded, runArgs, interactive);
  const surface = await openSurface(ctx, { json: flags.json, interactive });
  try {
    await askBefore(surface, loaded, before, runArgs, ctx.signal);
    return flags.dryRun ? await dryRun(project, loaded, runArgs, flags, surface, ctx) : await realRun(project, loaded, runArgs, flags, surface, ctx);
  } finally {
    await surface.close();
  }
}
