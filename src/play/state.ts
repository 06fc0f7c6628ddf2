/**
 * Folds a run's ledger events into a PlayState. The fold mutates a state it owns, so a live view
 * can apply only the events it has not seen (`afterSeq`) instead of replaying the whole run.
 */
import type { LedgerEvent, StageSpec, StoredEvent } from '../ledger/model.js';
import { tickClock } from './clock.js';
import type { ActivitySample, PlayState, StageState, StageStatus, TaskState } from './model.js';

export function emptyPlay(runId: string): PlayState {
  return {
    runId,
    program: null,
    repository: null,
    branch: null,
    spec: null,
    runStatus: 'running',
    external: false,
    runStartedAt: null,
    runFinishedAt: null,
    stoppedAt: null,
    stops: [],
    control: null,
    stages: [],
    tasks: new Map(),
    noted: [],
    recorded: [],
    lastSeq: 0,
  };
}

function newStage(name: string, spec: StageSpec | undefined): StageState {
  return { name, spec, status: 'pending', startedAt: null, finishedAt: null, attemptStartedAt: null, starts: 0, retries: 0, rollbacks: 0, agents: [], taskIds: [], lastProgressAt: null, admin: null };
}

/** The agent shown for a stage: the last of those that ran in it, else the play's first that is sure to run in it. */
export function stageAgent(stage: StageState): string | null {
  const mayRun = stage.spec?.mayRun ?? [];
  return stage.agents.at(-1) ?? stage.spec?.agents.find((a) => !mayRun.includes(a)) ?? null;
}

export function findStage(state: PlayState, name: string): StageState | undefined {
  return state.stages.find((s) => s.name === name);
}

function stageOf(state: PlayState, name: string): StageState {
  let stage = findStage(state, name);
  if (stage === undefined) {
    stage = newStage(name, undefined);
    state.stages.push(stage);
  }
  return stage;
}

const ENDED: ReadonlySet<StageStatus> = new Set(['done', 'failed', 'skipped']);

export function isEnded(stage: StageState): boolean {
  return ENDED.has(stage.status);
}

function isLive(stage: StageState): boolean {
  return stage.status === 'active' || stage.status === 'waiting';
}

function note(state: PlayState, stage: string | null, detail: string, at: number): void {
  state.noted.push({ kind: 'InvalidTransition', stage, detail, at, refused: false });
}

function startStage(state: PlayState, name: string, at: number): void {
  const stage = stageOf(state, name);
  if (isLive(stage)) {
    // A resumed run announces its stage again: the stage goes on, a new attempt at it starts (and
    // the time the run stood stopped is not silence).
    Object.assign(stage, { attemptStartedAt: at, lastProgressAt: at });
    return;
  }
  if (state.spec !== null && stage.spec === undefined) note(state, name, `stage '${name}' is not in the play`, at);
  else if (isEnded(stage) && stage.status !== 'failed') note(state, name, `stage '${name}' started again after it ended (${stage.status})`, at);
  else {
    const index = state.stages.indexOf(stage);
    const unfinished = state.stages.slice(0, index).find((s) => s.spec !== undefined && !isEnded(s));
    if (unfinished !== undefined) note(state, name, `stage '${name}' started before '${unfinished.name}' ended`, at);
  }
  Object.assign(stage, { status: 'active', startedAt: at, finishedAt: null, attemptStartedAt: at, lastProgressAt: at, starts: stage.starts + 1, admin: null });
}

function finishStage(state: PlayState, name: string, status: LedgerEvent & { type: 'stage.finished' }, at: number): void {
  const stage = stageOf(state, name);
  if (overtaken(stage, status.status, at)) return;
  if (!isLive(stage)) note(state, name, `stage '${name}' finished (${status.status}) without being started`, at);
  stage.startedAt ??= at;
  stage.finishedAt = at;
  stage.status = status.status === 'succeeded' ? 'done' : status.status === 'skipped' ? 'skipped' : status.status === 'failed' ? 'failed' : stage.status;
  // A live run finished the stage an advance was to pass over: it ran, and is judged as it ended.
  if (stage.status !== 'skipped') stage.admin = null;
}

/**
 * The end of a stage an override got to first: a stage an advance passed over ends skipped when
 * the runner passes it over (any other end is taken as it came); one a reset sent back while a
 * live run was in it stays pending when that run finishes it, to run again.
 */
function overtaken(stage: StageState, outcome: string, at: number): boolean {
  if (stage.admin === 'reset' && stage.status === 'pending') return true;
  if (stage.admin !== 'advanced' || stage.status !== 'skipped') return false;
  stage.status = outcome === 'succeeded' ? 'done' : outcome === 'failed' ? 'failed' : 'skipped';
  // Passed over, it ended when it stopped (the run stopped, or it failed); it took no time since.
  stage.finishedAt = stage.status === 'skipped' ? (stage.finishedAt ?? at) : at;
  return true;
}

/**
 * Sets the play to S, as the runner will when it next reaches a phase boundary (runtime/overrides.ts):
 * an advance passes over every stage before S that has not succeeded; a reset sends S and the
 * stages after it back to pending.
 */
function adminMove(state: PlayState, action: 'advance' | 'reset', name: string): void {
  const index = state.stages.findIndex((s) => s.name === name);
  if (index < 0) return;
  state.stages.forEach((stage, i) => {
    if (i < index && action === 'advance' && stage.status !== 'done' && stage.status !== 'skipped') {
      // The stage a live run is in goes on until its phase ends: only then does the runner act.
      if (isLive(stage) && state.stoppedAt === null) stage.admin = 'advanced';
      // One a run that stopped left going ended then.
      else Object.assign(stage, { status: 'skipped', admin: 'advanced', finishedAt: stage.startedAt === null ? null : (stage.finishedAt ?? state.stoppedAt) });
    }
    if (i >= index && (action === 'reset' || i === index)) {
      Object.assign(stage, { status: 'pending', startedAt: null, finishedAt: null, attemptStartedAt: null, lastProgressAt: null, admin: action === 'reset' ? 'reset' : 'advanced' });
    }
  });
  // Refusals and order problems before an override are what the override answered.
  state.noted = state.noted.filter((n) => n.refused);
}

function progressed(previous: ActivitySample | null, sample: ActivitySample): boolean {
  if (previous === null) return sample.outputBytes > 0 || sample.cpuMs > 0 || sample.fileChanges > 0;
  return sample.outputBytes > previous.outputBytes || sample.cpuMs > previous.cpuMs || sample.fileChanges > previous.fileChanges;
}

function touch(state: PlayState, task: TaskState, at: number): void {
  task.lastProgressAt = Math.max(task.lastProgressAt, at);
  const stage = task.stage === null ? undefined : findStage(state, task.stage);
  if (stage !== undefined) stage.lastProgressAt = Math.max(stage.lastProgressAt ?? at, at);
}

function applyTaskEvent(state: PlayState, event: LedgerEvent, at: number): void {
  switch (event.type) {
    case 'task.created': {
      const task: TaskState = { id: event.taskId, task: event.task, stage: event.stage, agent: event.agent, status: event.status, reason: null, startedAt: at, finishedAt: null, lastProgressAt: at, lastSample: null, retries: 0 };
      state.tasks.set(task.id, task);
      // A task logged already ended (an orchestrator reporting after the fact) ended when it was logged.
      if (task.status === 'succeeded' || task.status === 'failed' || task.status === 'skipped') task.finishedAt = at;
      if (state.external) adoptTask(state, task);
      else if (event.stage !== null) addToStage(state, stageOf(state, event.stage), task);
      touch(state, task, at);
      return;
    }
    case 'task.transition': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return;
      Object.assign(task, { status: event.to, reason: event.reason });
      if (event.to === 'succeeded' || event.to === 'failed' || event.to === 'skipped') task.finishedAt = at;
      touch(state, task, at);
      if (state.external) followTasks(state, task.stage);
      else syncWaiting(state, task.stage);
      return;
    }
    case 'task.retry': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return;
      task.retries += 1;
      const stage = task.stage === null ? undefined : findStage(state, task.stage);
      if (stage !== undefined) stage.retries += 1;
      return;
    }
    case 'agent.output': {
      const task = state.tasks.get(event.taskId);
      if (task !== undefined && event.lines.length > 0) touch(state, task, at);
      return;
    }
    case 'activity': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return;
      const sample = { outputBytes: event.outputBytes, cpuMs: event.cpuMs, fileChanges: event.fileChanges };
      if (progressed(task.lastSample, sample)) touch(state, task, at);
      task.lastSample = sample;
      return;
    }
    default:
      return;
  }
}

function addToStage(state: PlayState, stage: StageState, task: TaskState): void {
  stage.taskIds.push(task.id);
  if (task.agent !== null && !stage.agents.includes(task.agent)) stage.agents.push(task.agent);
}

/** An external run's task joins its stage: the one it names, else one named after the task. */
function adoptTask(state: PlayState, task: TaskState): void {
  task.stage ??= task.task;
  addToStage(state, stageOf(state, task.stage), task);
  followTasks(state, task.stage);
}

const OPEN_TASK: ReadonlySet<string> = new Set(['queued', 'running', 'awaiting_approval']);

/**
 * An external run's stage, read from its tasks (no runner says when it starts or ends): active
 * while one runs, waiting when only gates wait, else ended as the latest attempt of each of its
 * tasks ended. Started with its first task, finished with its last; each attempt after a task's
 * first is a retry.
 */
function followTasks(state: PlayState, name: string | null): void {
  const stage = name === null ? undefined : findStage(state, name);
  if (stage === undefined) return;
  const tasks = stage.taskIds.map((id) => state.tasks.get(id)).filter((t) => t !== undefined);
  if (tasks.length === 0) return;
  const latest = [...new Map(tasks.map((t) => [t.task, t])).values()];
  const open = latest.filter((t) => OPEN_TASK.has(t.status));
  stage.startedAt = tasks.reduce((min, t) => Math.min(min, t.startedAt), Infinity);
  stage.starts = 1;
  stage.retries = tasks.length - latest.length;
  if (open.length > 0) {
    Object.assign(stage, { status: open.every((t) => t.status === 'awaiting_approval') ? 'waiting' : 'active', finishedAt: null });
    return;
  }
  stage.status = latest.some((t) => t.status === 'failed') ? 'failed' : latest.every((t) => t.status === 'skipped') ? 'skipped' : 'done';
  stage.finishedAt = tasks.reduce((max, t) => Math.max(max, t.finishedAt ?? t.startedAt), -Infinity);
}

/** A stage whose only unfinished work waits for a human is waiting, not working (nor stuck). */
function syncWaiting(state: PlayState, name: string | null): void {
  const stage = name === null ? undefined : findStage(state, name);
  if (stage === undefined || (stage.status !== 'active' && stage.status !== 'waiting')) return;
  const open = stage.taskIds.map((id) => state.tasks.get(id)).filter((t) => t !== undefined && (t.status === 'running' || t.status === 'queued' || t.status === 'awaiting_approval'));
  stage.status = open.length > 0 && open.every((t) => t?.status === 'awaiting_approval') ? 'waiting' : 'active';
}

function applySpec(state: PlayState, stages: readonly StageSpec[]): void {
  state.spec = [...stages];
  const seen = state.stages;
  const ordered = stages.map((spec) => {
    const existing = seen.find((s) => s.name === spec.name);
    return existing === undefined ? newStage(spec.name, spec) : Object.assign(existing, { spec });
  });
  state.stages = [...ordered, ...seen.filter((s) => !stages.some((spec) => spec.name === s.name))];
}

export function applyEvent(state: PlayState, stored: StoredEvent): PlayState {
  if (stored.seq <= state.lastSeq) return state;
  state.lastSeq = stored.seq;
  const at = Date.parse(stored.time);
  const event = stored.event;
  switch (event.type) {
    case 'run.started':
      tickClock(state, event, at);
      Object.assign(state, { program: event.program, runStatus: 'running', external: event.origin === 'external' });
      // A run adopted from its tasks by a ledger upgrade is announced after them.
      if (state.external) {
        for (const task of state.tasks.values()) if (task.stage === null) adoptTask(state, task);
        for (const stage of state.stages) followTasks(state, stage.name);
        state.stages.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
      }
      return state;
    case 'play.spec':
      Object.assign(state, { repository: event.repository, branch: event.branch });
      applySpec(state, event.stages);
      return state;
    case 'run.finished':
      tickClock(state, event, at);
      Object.assign(state, { runStatus: event.status, runFinishedAt: event.status === 'running' || event.status === 'paused' ? null : at, control: null });
      return state;
    case 'run.control':
      state.control = event.control === 'resume' ? null : event.control;
      return state;
    case 'run.resumed':
      tickClock(state, event, at);
      Object.assign(state, { runStatus: 'running', runFinishedAt: null });
      return state;
    case 'stage.started':
      startStage(state, event.stage, at);
      return state;
    case 'stage.finished':
      finishStage(state, event.stage, event, at);
      return state;
    case 'deviation':
      if (event.kind === 'InvalidTransition') state.noted.push({ kind: 'InvalidTransition', stage: event.stage, detail: event.detail, at, refused: true });
      else state.recorded.push({ kind: event.kind, stage: event.stage, detail: event.detail, at });
      return state;
    case 'admin':
      adminMove(state, event.action, event.stage);
      return state;
    case 'rollback': {
      // A failed iteration rolled back is the stage trying again: a retry of the stage under way.
      const active = state.stages.filter((s) => s.status === 'active' || s.status === 'waiting');
      const stage = active.at(-1);
      if (stage !== undefined) {
        stage.retries += 1;
        stage.rollbacks += 1;
      }
      return state;
    }
    default:
      applyTaskEvent(state, event, at);
      return state;
  }
}

export function foldEvents(events: Iterable<StoredEvent>, state: PlayState): PlayState {
  for (const event of events) applyEvent(state, event);
  return state;
}
