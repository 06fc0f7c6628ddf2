import { existsSync } from 'node:fs';
import type { Project } from '../../config/load.js';
import { ledgerFile } from '../../config/paths.js';
import { AbortError, ExitCode, UsageError } from '../../errors.js';
import { isExternal } from '../../ledger/external-runs.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Run } from '../../ledger/model.js';
import { overriddenSinceFinish } from '../../ledger/play-queries.js';
import { ORPHAN_GRACE_MS, reconcileRun } from '../../loop/reconcile.js';
import { isRunSetting } from '../../loop/settings.js';
import { REDACTED } from '../../notify/redact.js';
import { declaredInputs, missingInputs } from '../../runtime/plan.js';
import { fromJson, toPlain, type Value } from '../../runtime/values.js';
import type { Args, CommandContext } from '../command.js';
import { printWrapped } from '../../util/wrap.js';
import { knownRun } from '../commands/ledger-access.js';
import { applySettings, parseRunArgs, type RunArgs } from './run-args.js';
import { readListInputs } from './run-list-args.js';
import { loadProgram, type Loaded } from './run-load.js';
import { takeRunLock } from './run-lock.js';
import { settleLeftBehind } from './run-orphans.js';
import { executeRecorded, prepareRun } from './run-recorded.js';
import { ensureGates, reportProblems, runFlagsOf } from './run-session.js';
import { openSurface, type RunSurface } from './run-surface.js';

async function openRun(project: Project, runId: string): Promise<{ ledger: Ledger; run: Run }> {
  const path = ledgerFile(project.root);
  if (!existsSync(path)) throw new AbortError(`No ledger in ${project.root}: no run has been recorded here.`, { hint: 'Runs are recorded by `prose run`; run prose resume from the project that ran it.' });
  const { Ledger } = await import('../../ledger/ledger.js');
  const ledger = Ledger.open(path);
  let run: Run;
  try {
    run = knownRun(ledger, runId);
  } catch (error) {
    ledger.close();
    throw error;
  }
  if (isExternal(run)) {
    ledger.close();
    throw new AbortError(`Run ${runId} is not a choiros-driven run: an external orchestrator logs it through the task API, and there is no program to resume.`);
  }
  // A reset after the run succeeded sends the play back: that is something to resume.
  if (run.status === 'succeeded' && !overriddenSinceFinish(ledger, run.id)) {
    ledger.close();
    throw new AbortError(`Run ${runId} succeeded already: there is nothing to resume.`, { hint: `Start it again with: prose run ${run.program}, or run some of its stages again with choiros play reset --run ${runId} --to-stage STAGE, then prose resume ${runId}` });
  }
  return { ledger, run };
}

/** Inputs the run was asked for as it reached them (mid-program), answered and journaled: pinned like its arguments. */
function answeredInputs(ledger: Ledger, runId: string): Set<string> {
  return new Set(ledger.events({ runId }).flatMap(({ event }) => (event.type === 'input' ? [event.name] : [])));
}

/**
 * The run's own arguments, with run settings changed from the command line. Inputs are pinned —
 * the recorded steps were computed from them — except one the ledger kept redacted (it held a
 * secret), which must be given again, and one the run has no value for yet (`open`: an input
 * further down that it never reached), which may be given now.
 */
function restoreArgs(run: Run, overrides: RunArgs, open: ReadonlySet<string>): RunArgs {
  const recorded = new Map<string, Value>(Object.entries(run.args).filter(([k]) => k !== 'phase').map(([k, v]) => [k, fromJson(v)]));
  for (const [key, value] of overrides.given) {
    const redacted = JSON.stringify(run.args[key] ?? null).includes(REDACTED);
    if (!isRunSetting(key) && !redacted && !open.has(key)) {
      throw new UsageError(`Inputs are pinned: ${run.id} was started with ${key}=${JSON.stringify(run.args[key] ?? null)}, and its recorded steps were computed from it.`, { hint: `Start a new run to change it: prose run ${run.program} ${key}=…` });
    }
    recorded.set(key, value);
  }
  for (const [key, value] of recorded) {
    if (JSON.stringify(value).includes(REDACTED)) throw new UsageError(`The input ${key} was recorded redacted (it holds a secret): give it again.`, { hint: `prose resume ${run.id} ${key}=VALUE` });
  }
  const phase = typeof run.args.phase === 'string' ? run.args.phase : undefined;
  return { inputs: new Map(recorded), phase, given: recorded };
}

/**
 * Run settings given to `prose resume` (a raised `max_iterations`, a longer `agent_timeout`) are
 * kept with the run, so a later plain resume does not fall back to the first caps and stop at
 * once. A deadline is not: one given now counts from now, and would be read from the start later.
 * An input given now is kept too: the steps after it are computed from it.
 */
function keepRaisedSettings(ledger: Ledger, run: Run, overrides: RunArgs): void {
  const raised = [...overrides.given].filter(([key]) => (isRunSetting(key) && key !== 'deadline') || (!isRunSetting(key) && !(key in run.args)));
  if (raised.length === 0) return;
  ledger.updateRunArgs(run.id, { ...run.args, ...Object.fromEntries(raised.map(([key, value]) => [key, toPlain(value)])) });
}

/** Without a terminal, an input the run has not reached yet must be given to `prose resume`: an error before anything runs. */
function checkOpenInputs(run: Run, loaded: Loaded, runArgs: RunArgs, answered: ReadonlySet<string>): void {
  const needs = missingInputs(loaded.unit, runArgs.phase, new Set([...runArgs.inputs.keys(), ...answered]));
  const missing = [...needs.before, ...needs.later];
  if (missing.length === 0) return;
  throw new UsageError(`Missing input${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}, which ${run.id} has not reached yet and no one can be asked for. Nothing was resumed.`, {
    hint: `prose resume ${run.id} ${missing.map((n) => `${n}=VALUE`).join(' ')}, or resume it on a terminal to be asked.`,
  });
}

/** A program changed since the run started: its recorded steps may no longer line up. Asked on a terminal, refused otherwise. */
async function confirmChanged(run: Run, loaded: Loaded, surface: RunSurface, ctx: CommandContext, ledger: Ledger): Promise<void> {
  const what = `${run.program} changed since ${run.id} started`;
  if (surface.interactive) {
    const prompt = `${what}. Its recorded steps are replayed by where they stand in the program: an edit above a step can make it run again, or be skipped. Resume with the changed program?`;
    const answer = await surface.gates.ask({ name: 'resume', prompt, options: ['No', 'Yes'], timeoutMs: undefined, fallback: undefined }, ctx.signal);
    if (answer?.answer === 'Yes') {
      ledger.repinProgram(run.id, loaded.hash);
      return;
    }
  }
  throw new UsageError(`${what} (sha256 ${run.programHash.slice(0, 12)}…, now ${loaded.hash.slice(0, 12)}…): nothing was resumed.`, {
    hint: 'Resuming replays recorded steps by their place in the program. Restore the program, resume on a terminal to confirm, or start a new run with `prose run`.',
  });
}

/** `prose resume RUN`: reconcile what the run's dead process left running, then go on from the first unfinished step. */
export async function resumeProse(args: Args, ctx: CommandContext): Promise<number> {
  const runId = String(args.runId);
  const flags = runFlagsOf(args);
  const overrides = parseRunArgs((args.settings as string[] | undefined) ?? []);
  if (overrides.phase !== undefined) throw new UsageError(`The phase of a run is pinned: ${runId} runs the phase it was started with.`);
  const project = await ctx.project();
  const { ledger, run } = await openRun(project, runId);
  const notes: string[] = [];
  try {
    const config = project.config;
    const phase = typeof run.args.phase === 'string' ? run.args.phase : undefined;
    const loaded = loadProgram(run.program, project.root, { project, gates: Object.keys(config.verify ?? {}), agents: Object.keys(config.agents ?? {}), phase });
    if (!reportProblems(loaded, ctx.out)) return ExitCode.usage;
    ensureGates(loaded, phase, config);
    readListInputs(overrides, loaded.unit);
    const answered = answeredInputs(ledger, runId);
    const open = new Set(declaredInputs(loaded.unit).map((i) => i.name.name).filter((name) => !(name in run.args) && !answered.has(name)));
    const runArgs = restoreArgs(run, overrides, open);
    const settings = applySettings(runArgs, loaded.unit, config);
    const interactive = ctx.out.isTTY && ctx.stdin.isTTY === true && !flags.json && args.input !== false;
    if (!interactive || settings.mode === 'autonomous') checkOpenInputs(run, loaded, runArgs, answered);
    const surface = await openSurface(ctx, { json: flags.json, interactive: interactive && settings.mode !== 'autonomous', program: { unit: loaded.unit, phase } });
    try {
      if (loaded.hash !== run.programHash) await confirmChanged(run, loaded, { ...surface, interactive }, ctx, ledger);
      const prepared = await prepareRun(project, loaded, runArgs, flags, surface, ctx, runId);
      const release = takeRunLock(project.root, runId);
      try {
        const settled = await settleLeftBehind(ledger, project, prepared.warn, runId);
        const reconciled = await reconcileRun(ledger, runId, config.stop_grace ?? ORPHAN_GRACE_MS);
        const interrupted = [...(settled?.interrupted ?? []), ...reconciled.interrupted];
        const ended = [...(settled?.ended ?? []), ...reconciled.ended];
        for (const task of interrupted) surface.emit({ type: 'warning', message: `${task.task} was interrupted (task ${task.id}${ended.length > 0 ? `; its leftover processes ${ended.join(', ')} were ended` : ''}): it runs again`, at: undefined });
        ledger.claimRun(runId, process.pid);
        keepRaisedSettings(ledger, run, overrides);
        // A deadline kept from the start counts from the start; one given now (`deadline=07:00`, to
        // go on the next night) counts from now, else a run first started days ago stops at once.
        const deadlineFrom = overrides.given.has('deadline') ? new Date() : new Date(run.startedAt);
        return await executeRecorded({ project, loaded, runArgs, settings, flags, surface, ctx, prepared, ledger, runId, deadlineFrom, notes });
      } finally {
        release();
      }
    } finally {
      await surface.close();
      for (const note of notes) printWrapped(ctx.out.note, note, ctx.out.wrapAt, { hanging: '  ' });
    }
  } finally {
    ledger.close();
  }
}
