import type { Project } from '../../config/load.js';
import { formatDuration } from '../../config/units.js';
import type { Checkpoints } from '../../git/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { AutoCheckpoints } from '../../loop/auto-checkpoint.js';
import { CappedAgents } from '../../loop/capped-agents.js';
import { LoopGit } from '../../loop/loop-git.js';
import { configPathIn, LoopVerify } from '../../loop/loop-verify.js';
import { deadlineAt, type RunSettings } from '../../loop/settings.js';
import { rollBackUnfinished, type Unfinished } from '../../loop/unfinished.js';
import { collectSecrets, Redactor } from '../../notify/redact.js';
import { startTicksOf } from '../../process/lock.js';
import { RunStop } from '../../runtime/errors.js';
import { LedgerJournal } from '../../runtime/ledger-journal.js';
import { agentsUsed, usesDiscretion, walk } from '../../runtime/plan.js';
import type { RollbackResult } from '../../runtime/ports.js';
import { runProgram, type RunOutcome } from '../../runtime/run.js';
import { answerHint } from '../answer-hint.js';
import type { CommandContext } from '../command.js';
import type { RunArgs } from './run-args.js';
import { GitCheckpoints } from './run-checkpoints.js';
import type { Loaded } from './run-load.js';
import { observeRun } from './run-observers.js';
import { pollControl, type Place } from './run-ports.js';
import { exitCodeOf, finishRecord, runLogDir } from './run-record.js';
import { keepBest, writeReport } from './run-report.js';
import type { RunSurface } from './run-surface.js';
import { agentRouter, checkAgentBinaries, oracleFor, realPorts } from './run-wiring.js';

export interface RunFlags {
  answers: string | undefined;
  oracle: 'judge' | 'default' | undefined;
  maxLoop: number | undefined;
}

/** What a recorded run needs before it starts: where it logs, its agents (checked), its oracle. */
export async function prepareRun(project: Project, loaded: Loaded, runArgs: RunArgs, flags: RunFlags, surface: RunSurface, ctx: CommandContext, runId: string) {
  const secrets = new Redactor(collectSecrets({ env: ctx.env, configValues: (project.config.notify ?? []).flatMap((n) => [n.url, ...(n.secret === undefined ? [] : [n.secret])]) }));
  const grace = project.config.stop_grace;
  // Agents, commands and gates know which run they serve (`choiros checkpoint` records it).
  const env = { ...ctx.env, CHOIROS_RUN_ID: runId };
  const place: Place = { root: project.root, home: project.home, env, secrets, logDir: runLogDir(project, runId), ...(grace === undefined ? {} : { killGraceMs: grace }) };
  const router = await agentRouter(project, place);
  const warn = (message: string) => surface.emit({ type: 'warning', message: secrets.redact(message), at: undefined });
  const { oracle, judge } = await oracleFor(flags, project, router, ctx.cwd, warn);
  const agents = agentsUsed(loaded.unit, runArgs.phase);
  checkAgentBinaries(router, judge !== undefined && usesDiscretion(loaded.unit) ? [...agents, judge] : agents, ctx.env, project.root);
  return { secrets, place, router, oracle, warn };
}

export type Prepared = Awaited<ReturnType<typeof prepareRun>>;

export interface RecordedRun {
  project: Project;
  loaded: Loaded;
  runArgs: RunArgs;
  settings: RunSettings;
  flags: RunFlags;
  surface: RunSurface;
  ctx: CommandContext;
  prepared: Prepared;
  ledger: Ledger;
  runId: string;
  /** What a deadline like 07:00 counts from: the run's first start, or the resume that gave it anew. */
  deadlineFrom: Date;
  /** Lines for after the live view closes (where the report is, what to run next). */
  notes: string[];
  /** A new run, not a resumed one: its start is announced to the webhooks that ask for `started`. */
  fresh?: boolean;
}

/** Whether the program checkpoints, rolls back or verifies: then the run keeps its starting tree. */
function usesGit(loaded: Loaded): boolean {
  let found = false;
  walk(loaded.unit.program.statements, (n) => {
    if (n.kind === 'Verify' || n.kind === 'Rollback' || n.kind === 'Checkpoint') found = true;
  });
  return found;
}

/**
 * The git side of the run, when the project is in a git work tree (else none: no checks of the
 * checks, no candidates, no automatic checkpoints). `git`, the loop's, only for a program that
 * verifies, checkpoints or rolls back; `workTree` whenever the run may checkpoint — automatic
 * checkpoints save an autonomous run's agent work whatever the program does.
 */
async function loopGit(project: Project, r: RecordedRun): Promise<{ checkpoints: Checkpoints; git: LoopGit | undefined; workTree: string | undefined }> {
  const { Checkpoints, settingsFromConfig } = await import('../../git/index.js');
  const checkpoints = new Checkpoints(project.root, settingsFromConfig(project.config.checkpoints), r.prepared.place.env);
  const loop = usesGit(r.loaded);
  if (!loop && r.settings.checkpointIntervalMs === undefined) return { checkpoints, git: undefined, workTree: undefined };
  const repo = await checkpoints.repo().catch(() => undefined);
  if (repo === undefined) return { checkpoints, git: undefined, workTree: undefined };
  if (!loop) return { checkpoints, git: undefined, workTree: repo.root };
  const git = new LoopGit(checkpoints, r.runId);
  await git.ensureBaseline();
  return { checkpoints, git, workTree: repo.root };
}

async function readGates(project: Project, text: string, env: NodeJS.ProcessEnv) {
  const { parseConfigText, readFacts } = await import('../../config/load.js');
  try {
    return (await parseConfigText(text, project.file ?? 'choiros.yaml', readFacts(project.root, env))).verify ?? {};
  } catch {
    return 'unreadable' as const;
  }
}

/** Ends the run at the deadline, even in the middle of a step (its agents' trees are ended). */
function deadlineTimer(settings: RunSettings, from: Date, stop: (reason: RunStop) => void): { at: number | undefined; clear(): void } {
  const at = settings.deadline === undefined ? undefined : deadlineAt(settings.deadline, from)?.getTime();
  // Beyond setTimeout's range (24 days) the check before every step is enough.
  if (at === undefined || at - Date.now() > 2 ** 31 - 1) return { at, clear: () => {} };
  const timer = setTimeout(() => stop(new RunStop('limit', `the deadline ${settings.deadline ?? ''} passed`)), Math.max(0, at - Date.now()));
  timer.unref();
  return { at, clear: () => clearTimeout(timer) };
}

/**
 * Runs (or goes on with) a run recorded in the ledger: the real ports, the caps (iterations,
 * deadline, agent timeout), automatic checkpoints in autonomous mode, run control through the
 * ledger; then the run's status, its best attempt when a limit stopped it, and the morning report.
 */
export async function executeRecorded(r: RecordedRun): Promise<number> {
  const { project, ledger, runId, settings, prepared, ctx } = r;
  const { secrets, place, router, oracle, warn } = prepared;
  const observers = await observeRun(project, ledger, runId, ctx.env, warn);
  const stopper = new AbortController();
  const control = pollControl(ledger, runId, () => stopper.abort(new RunStop('cancelled', 'cancelled by a request to the ledger')));
  const { checkpoints, git, workTree } = await loopGit(project, r);
  const auto = settings.checkpointIntervalMs === undefined || workTree === undefined ? undefined : new AutoCheckpoints(settings.checkpointIntervalMs, async () => {
    const created = await checkpoints.create({ message: `automatic checkpoint (every ${formatDuration(settings.checkpointIntervalMs ?? 0)})`, runId, verdict: 'unverified' });
    journal.checkpoint({ name: created.name, commit: created.commit, verdict: 'unverified' });
  }, warn);
  const journal = new LedgerJournal(ledger, runId, { secrets, processStart: startTicksOf, onStored: (e) => (observers.onStored(e), e.event.type === 'checkpoint' ? auto?.touched() : undefined) });
  observers.attach(() => journal.publish());
  // Recorded before the observers were there: handed on by hand, so a `started` webhook says when it began.
  const started = r.fresh === true ? ledger.events({ runId, limit: 2 }).find((e) => e.event.type === 'run.started') : undefined;
  if (started !== undefined) observers.onStored(started);
  const verify = new LoopVerify({ root: project.root, logDir: place.logDir, env: place.env, gates: project.config.verify ?? {}, configPath: workTree === undefined ? undefined : configPathIn(workTree, project.file), rootPath: workTree === undefined ? undefined : configPathIn(workTree, project.root), readGates: (text) => readGates(project, text, ctx.env), git, testThreshold: settings.testThreshold, secrets });
  const agents = new CappedAgents(router, settings.agentTimeoutMs, (agent) => router.resolve(agent).timeoutMs);
  const checkpointPort = new GitCheckpoints(project, checkpoints, runId, { env: place.env, self: ctx.self }, git);
  const ports = realPorts({ place, agents, verify, oracle, journal, control, checkpoints: checkpointPort, gates: r.surface.gates, inputs: r.surface.inputs });
  const deadline = deadlineTimer(settings, r.deadlineFrom, (reason) => stopper.abort(reason));
  auto?.start();
  let outcome: RunOutcome | undefined;
  try {
    outcome = await runProgram({
      unit: r.loaded.unit,
      inputs: r.runArgs.inputs,
      phase: r.runArgs.phase,
      ports,
      signal: AbortSignal.any([ctx.signal, stopper.signal]),
      // What the run prints (plain lines, --json, the view) hides secrets as the ledger does.
      onEvent: (event) => r.surface.emit(secrets.redactDeep(event)),
      runId,
      autonomous: settings.mode === 'autonomous',
      caps: { maxIterations: settings.maxIterations, deadline: deadline.at, deadlineText: settings.deadline },
      limits: { maxParallelAgents: project.config.max_parallel_agents, ...(r.flags.maxLoop === undefined ? {} : { loopCap: r.flags.maxLoop }) },
    });
    return exitCodeOf(outcome.status);
  } finally {
    control.stop();
    deadline.clear();
    await auto?.stop();
    const unfinished = await settleStop(r, outcome, git, (target) => checkpointPort.rollback(target, undefined, (moved) => journal.rollback(moved)));
    await finish(r, outcome, git, secrets, unfinished);
    observers.track();
    await observers.close();
  }
}

/**
 * A run stopped at a limit goes back to its last good state (see rollBackUnfinished), unless it
 * runs with `rollback_on_failure=false`. A rollback that cannot be done (files changed meanwhile,
 * a path in the way) is reported, and the tree is left as it is.
 */
async function settleStop(r: RecordedRun, outcome: RunOutcome | undefined, git: LoopGit | undefined, rollback: (target: string) => Promise<RollbackResult>): Promise<Unfinished | undefined> {
  if (outcome?.status !== 'limit' || git === undefined || !r.settings.rollbackOnFailure) return undefined;
  const { secrets, warn } = r.prepared;
  try {
    return await rollBackUnfinished(git, secrets.redact(outcome.error?.message ?? 'a limit'), rollback);
  } catch (error) {
    warn(`the run stopped with changes in the work tree, and rolling them back failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function finish(r: RecordedRun, outcome: RunOutcome | undefined, git: LoopGit | undefined, secrets: Redactor, unfinished: Unfinished | undefined): Promise<void> {
  const { ledger, runId } = r;
  if (outcome === undefined) ledger.finishRun(runId, 'failed', 'internal error');
  else finishRecord({ ledger, runId, logDir: r.prepared.place.logDir }, outcome, secrets);
  const status = outcome?.status;
  const best = status === 'limit' ? await keepBest(ledger, runId, git).catch(() => undefined) : undefined;
  if (status === 'succeeded') await git?.dropBaseline().catch(() => undefined);
  const report = writeReport(ledger, runId, r.prepared.place.logDir, best, unfinished);
  if (status !== 'succeeded') r.notes.push(`report: ${report}`);
  if (best !== undefined) r.notes.push(`best attempt kept as ${best}`);
  if (unfinished !== undefined) r.notes.push(`the work tree went back to ${unfinished.target} (${unfinished.changed} file${unfinished.changed === 1 ? '' : 's'}); what the run left is kept as ${unfinished.kept} (choiros rollback ${unfinished.kept} brings it back)`);
  for (const task of ledger.awaitingApproval(runId)) r.notes.push(`${task.task} (task ${task.id}) waits: ${answerHint(task)}, then prose resume ${runId}`);
  if (status === 'paused' || status === 'limit') r.notes.push(`continue with: prose resume ${runId}`);
}
