/**
 * The play tracker's model: what a run's events say happened, stage by stage, next to what the
 * run's `play.spec` said should happen. Pure data; times are epoch milliseconds.
 */
import type { RunStatus, StageSpec, TaskStatus } from '../ledger/model.js';
import type { RunClock } from './clock.js';

export type StageStatus = 'pending' | 'active' | 'waiting' | 'done' | 'failed' | 'skipped';

/** Counters of an `activity` sample: cumulative totals since the task started. */
export interface ActivitySample {
  outputBytes: number;
  cpuMs: number;
  fileChanges: number;
}

export interface TaskState {
  id: number;
  task: string;
  stage: string | null;
  agent: string | null;
  status: TaskStatus;
  reason: string | null;
  startedAt: number;
  finishedAt: number | null;
  /** The last time the task showed a sign of life: output, a file change, CPU, a transition. */
  lastProgressAt: number;
  lastSample: ActivitySample | null;
  retries: number;
}

export interface StageState {
  name: string;
  /** Undefined for a stage that ran but is not in the spec. */
  spec: StageSpec | undefined;
  status: StageStatus;
  startedAt: number | null;
  finishedAt: number | null;
  /** When its current attempt started: a resumed run starts its stage again, and its `timeout:` counts from there. */
  attemptStartedAt: number | null;
  /** How many times it was started (a resumed or reset stage starts again). */
  starts: number;
  /** What the dashboard's Retries column shows: its tasks' retries and its rollbacks. */
  retries: number;
  /** Failed iterations rolled back while it was under way: each is the stage (its agent) trying again. */
  rollbacks: number;
  /** Agents its tasks used, in order of first use. */
  agents: string[];
  taskIds: number[];
  lastProgressAt: number | null;
  /** Set when an admin override moved the play past this stage or back to it. */
  admin: 'advanced' | 'reset' | null;
}

/** A deviation the tracker noticed while folding events (not a function of the clock). */
export interface NotedDeviation {
  kind: 'InvalidTransition';
  stage: string | null;
  detail: string;
  at: number;
  /** Refused by the ledger (nothing changed) rather than something that did happen. */
  refused: boolean;
}

/** A run's clock (`runStartedAt`, `stoppedAt`, `stops`: play/clock.ts) is part of it: nothing of a stopped run moves, its stages' durations end when it stopped. */
export interface PlayState extends RunClock {
  runId: string;
  program: string | null;
  repository: string | null;
  branch: string | null;
  /** The stages the run's `play.spec` listed; null until that event is seen. */
  spec: StageSpec[] | null;
  runStatus: RunStatus;
  /**
   * A run an orchestrator logs through the task API: no runner records its stages, so each stage
   * (a task's `stage`, else the task's name) follows its tasks, and no activity of theirs is seen.
   */
  external: boolean;
  runFinishedAt: number | null;
  control: 'pause' | 'cancel' | null;
  /** Spec stages in order, then stages that ran without being in the spec. */
  stages: StageState[];
  tasks: Map<number, TaskState>;
  noted: NotedDeviation[];
  /** Deviations other processes recorded (for example a runner acting on this tracker). */
  recorded: { kind: string; stage: string | null; detail: string; at: number }[];
  lastSeq: number;
}

export const DEVIATION_KINDS = ['StageTimeout', 'AgentFailed', 'InvalidTransition', 'MissingArtifact', 'StageStuck'] as const;
export type DeviationKind = (typeof DEVIATION_KINDS)[number];

/**
 * Where the run left the play. One shape for every kind, so a deviation another process
 * recorded (kind and text only) reads like one the tracker computed.
 */
export interface Deviation {
  kind: DeviationKind | (string & {});
  stage: string | null;
  /** For people: `no output, file change or CPU for 12m00s`. */
  detail: string;
  /** Still needs someone (a live timeout, an unrecovered failure); closed ones are history. */
  open: boolean;
  taskId: number | null;
}

export type Health = 'on track' | 'at risk' | 'off track';

export type NextAction =
  | { kind: 'none'; detail: string }
  | { kind: 'wait'; stage: string; detail: string }
  | { kind: 'start'; stage: string; detail: string }
  | { kind: 'approve'; taskId: number; detail: string; command: string }
  | { kind: 'resume'; detail: string; command: string }
  | { kind: 'retry'; stage: string; detail: string; command: string }
  | { kind: 'investigate'; stage: string | null; detail: string; command: string | null };

export interface StageReport {
  name: string;
  status: StageStatus;
  /** The agent shown for the stage: the one that ran last, else the spec's first. */
  agent: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  retries: number;
  /** The weight of the stage in progress and the ETA: its median past duration, or an estimate. */
  expectedMs: number | null;
  /** `expectedMs` is a guess (no past runs of the stage: a typical stage's, its limit, or a minute), not a median. */
  expectedGuessed: boolean;
  /** Its phase's `timeout:`, when it has one. */
  timeoutMs: number | null;
  /** For a stage under way with a `timeout:`: the time left before it (of its current attempt; 0 when past it). */
  remainingMs: number | null;
  inSpec: boolean;
}

export interface Eta {
  remainingMs: number;
  /** When the run should finish, epoch ms. */
  at: number;
  /** 'history' when every remaining stage has past durations; 'partial' when some are guessed. */
  basis: 'history' | 'partial';
}

export interface PlayReport {
  runId: string;
  program: string | null;
  repository: string | null;
  branch: string | null;
  runStatus: RunStatus;
  startedAt: number | null;
  finishedAt: number | null;
  elapsedMs: number;
  stages: StageReport[];
  current: string | null;
  deviations: Deviation[];
  health: Health;
  healthy: boolean;
  /** 0..1. */
  progress: number;
  eta: Eta | null;
  next: NextAction;
}

/** Past durations of each stage (ms) from earlier runs of the same program, oldest first. */
export type StageHistory = ReadonlyMap<string, readonly number[]>;

export interface TrackOptions {
  now: number;
  history?: StageHistory;
  /** Whether an expected artifact exists (relative to the project root). Default: assume it does. */
  artifactExists?: (path: string) => boolean;
  /** No output, no file change and no CPU for this long makes an active stage stuck. */
  stuckWindowMs?: number;
}

export const DEFAULT_STUCK_WINDOW_MS = 10 * 60_000;
