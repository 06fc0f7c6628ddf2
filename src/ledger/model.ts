/**
 * The ledger's data model: runs, tasks (one per session, exec, verify, gate … call, or logged by
 * an external orchestrator through the API) and an append-only event stream. Pure: no database
 * here, so the play tracker and the UI can share these types without touching the disk.
 */

export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'awaiting_approval', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const RUN_STATUSES = ['running', 'paused', 'succeeded', 'failed', 'awaiting_approval', 'stopped', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Run statuses as people read them; `stopped` is a cap (exit 3), which the word alone does not say. */
const RUN_STATUS_TEXT: Record<RunStatus, string> = {
  running: 'running',
  paused: 'paused',
  succeeded: 'succeeded',
  failed: 'failed',
  awaiting_approval: 'awaiting approval',
  stopped: 'stopped at a limit',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** A run status in words, for every surface (the CLI, the dashboards, the API's `status_text`). */
export function runStatusText(status: RunStatus): string {
  return RUN_STATUS_TEXT[status];
}

/**
 * Who drives a run: `choiros` (`prose run`, which `prose resume` continues and the ledger's
 * requests steer), or `external` — an orchestrator (a CI job, a nightly script) that logged its
 * tasks through the task API; choiros records and shows it, and its status follows its tasks.
 */
export type RunOrigin = 'choiros' | 'external';

/** Why a task ended the way it did (free text is allowed; these are the ones choiros uses). */
export type TaskReason = 'interrupted' | 'limit' | 'flaky' | 'stuck' | 'timeout' | 'idle_timeout' | 'cancelled' | 'rejected' | (string & {});

/**
 * Legal task transitions. A task that ended stays ended: a retry is a new attempt (a new task
 * row), so the history of every attempt survives.
 */
const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  queued: ['running', 'skipped', 'failed'],
  running: ['succeeded', 'failed', 'awaiting_approval', 'skipped'],
  awaiting_approval: ['running', 'succeeded', 'failed', 'skipped'],
  succeeded: [],
  failed: [],
  skipped: [],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: TaskStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

export interface Run {
  id: string;
  program: string;
  programHash: string;
  args: Record<string, unknown>;
  mode: string | null;
  status: RunStatus;
  reason: string | null;
  startedAt: string;
  finishedAt: string | null;
  pid: number | null;
  /** A request from another process: pause after the current step, or cancel now. */
  control: 'pause' | 'cancel' | null;
  origin: RunOrigin;
}

/** A task row with DESIGN.md's fields. Times are ISO-8601 UTC with milliseconds. */
export interface Task {
  id: number;
  task: string;
  runId: string;
  status: TaskStatus;
  reason: string | null;
  stage: string | null;
  /** The interpreter's deterministic address for this step, used to replay it on resume. */
  step: string | null;
  attempt: number;
  agent: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  inputs: unknown;
  /** The step's value, kept so a resumed run replays it instead of running it again. */
  outputs: unknown;
  outputsUri: string | null;
  logExcerpt: string | null;
  approvalState: ApprovalState | null;
  approver: string | null;
  feedback: string | null;
  webhookNotifiedAt: string | null;
}

/** What should happen in a run (recorded by the runner when it starts): the play's stages. */
export interface StageSpec {
  /** A `phase` name of the program. */
  name: string;
  /** Agents its sessions use, in order of first use. */
  agents: string[];
  /**
   * Those of `agents` that only may run (a conditional branch, a `catch`, a `fallback:`): one
   * that never ran did not deviate. Absent in plays recorded before it, and when there are none.
   */
  mayRun?: string[];
  /** How long the stage may take before a StageTimeout deviation, when known. */
  timeoutMs: number | null;
  /** Paths the stage must leave behind (`expect: [paths]` on a phase). */
  expect: string[];
}

/** Every event has a type (discriminated union) and lands in one append-only table. */
export type LedgerEvent =
  /** `origin` is written for runs choiros does not drive only (`external`). */
  | { type: 'run.started'; program: string; args: Record<string, unknown>; mode: string | null; origin?: RunOrigin }
  | { type: 'play.spec'; stages: StageSpec[]; repository: string | null; branch: string | null }
  | { type: 'run.finished'; status: RunStatus; reason: string | null }
  | { type: 'run.control'; control: 'pause' | 'cancel' | 'resume'; by: string | null }
  | { type: 'run.resumed'; pid: number }
  /** `prose resume` started in the background for a human (an approval, a resume from the web dashboard): by whom, why, its pid and log. */
  | { type: 'run.continued'; by: string | null; why: 'approved' | 'rejected' | 'resumed'; pid: number; log: string | null }
  | { type: 'stage.started'; stage: string }
  | { type: 'stage.finished'; stage: string; status: TaskStatus }
  | { type: 'task.created'; taskId: number; task: string; status: TaskStatus; stage: string | null; agent: string | null }
  | { type: 'task.transition'; taskId: number; from: TaskStatus; to: TaskStatus; reason: string | null }
  | { type: 'task.retry'; taskId: number; attempt: number; delayMs: number; error: string }
  /** `option`: the gate option the human picked (`choiros approve --option Modify`), when not the default one. */
  | { type: 'task.approval'; taskId: number; state: ApprovalState; approver: string | null; feedback: string | null; option?: string | null }
  /** The process a step started (an agent, a command), so a resumed run can end it if its runner died and it did not. */
  | { type: 'task.process'; taskId: number; pid: number; startTicks: number | null }
  /** A value a person typed for an `input` the run reached, so a resumed run does not ask again. */
  | { type: 'input'; site: string; name: string; value: unknown }
  | { type: 'agent.output'; taskId: number; lines: string[] }
  /** Sampled while a task runs, so a stuck one (no output, no file changes, no CPU) can be told from a busy one. */
  | { type: 'activity'; taskId: number; outputBytes: number; cpuMs: number; fileChanges: number }
  | { type: 'judgement'; site: string; iteration: number; question: string; answer: string }
  | { type: 'checkpoint'; name: string; commit: string; verdict: string }
  | { type: 'rollback'; target: string; undo: string }
  | { type: 'deviation'; kind: string; stage: string | null; detail: string }
  | { type: 'notify'; target: string; event: string; ok: boolean; attempts: number }
  | { type: 'admin'; action: 'advance' | 'reset'; stage: string; by: string | null }
  /** A health score (`choiros health`), on the `health` stream rather than a run; `checkpoint` names the one it scored. */
  | { type: 'health'; score: number; status: 'healthy' | 'warning' | 'critical'; checkpoint: string | null; parts: Record<string, number> };

export type LedgerEventType = LedgerEvent['type'];

export interface StoredEvent {
  seq: number;
  runId: string;
  taskId: number | null;
  time: string;
  event: LedgerEvent;
}
