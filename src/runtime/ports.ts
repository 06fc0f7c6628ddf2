/**
 * The interpreter's only ways out to the world. Everything non-deterministic — agents, the oracle
 * that answers discretion, inputs, time, the order in which parallel branches finish, the ledger,
 * git, the gate runner, a human's approval — comes in through one of these, so tests drive a
 * program exactly and `prose run` wires the real adapters.
 */
import type { StepKind } from './events.js';
import type { Value } from './values.js';

// Agents

/** One item of a session's `context:`: what the agent sees besides its prompt. */
export interface ContextItem {
  name: string;
  text: string;
}

/** What an agent with `persist:` remembers between sessions (`.choiros/agents/NAME/`). */
export interface AgentMemory {
  /** Earlier prompts and replies, oldest first, trimmed to a size an agent can read. */
  transcript: string;
  /** The agent CLI's own session id (claude), so `resume:` continues that conversation. */
  sessionId: string | null;
}

export interface AgentRequest {
  /** The program's agent name (`session: builder`), or `default`. */
  agent: string;
  prompt: string;
  /** The agent definition's `prompt:`: standing instructions, sent as the system prompt. */
  system: string | undefined;
  model: string | undefined;
  context: ContextItem[];
  skills: string[];
  permissions: Record<string, Value>;
  /** From the session or agent `timeout:`; the adapter's own limits apply otherwise. */
  timeoutMs: number | undefined;
  /** Set for `resume:` of an agent that has a memory. */
  memory: AgentMemory | undefined;
  /** Names the log file of this call: unique per task. */
  logName: string;
}

export interface AgentCallIo {
  signal: AbortSignal;
  /** Output as it arrives (for live views and the ledger's batched `agent.output` events). */
  onOutput(chunk: string): void;
  /** The agent's process id, once started (activity sampling reads its tree's CPU time). */
  onSpawn?(pid: number): void;
}

export interface AgentResult {
  ok: boolean;
  /** The agent's final answer: the session's value. */
  text: string;
  /** Why it failed, one line (`exited 1`, `timed out after 30m`, `no output for 5m`). */
  error: string | undefined;
  exitCode: number | undefined;
  durationMs: number;
  costUsd: number | undefined;
  sessionId: string | undefined;
  logFile: string | undefined;
  /** The agent was ended by its hard timeout: a session that fails for good this way stopped at a limit. */
  timedOut?: boolean;
}

export interface AgentPort {
  run(request: AgentRequest, io: AgentCallIo): Promise<AgentResult>;
}

// Oracle

export type Question =
  | { kind: 'yes-no'; site: string; iteration: number; text: string; bindings: ReadonlyMap<string, Value>; fallback: boolean }
  | { kind: 'pick'; site: string; iteration: number; text: string; bindings: ReadonlyMap<string, Value>; options: readonly string[] };

export type Answer = boolean | string;

export interface Oracle {
  /** A yes/no question answers with a boolean, a pick-one question with one of the options. */
  decide(question: Question, signal: AbortSignal): Promise<Answer>;
}

// Inputs, time, parallel completion order

export interface InputPort {
  /** Asks for an input the run arguments did not give; undefined when no one can answer. */
  ask(name: string, prompt: string, signal: AbortSignal): Promise<Value | undefined>;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Calls `fire` once `ms` have passed unless the returned function is called first; without it, limits are checked between steps only. */
  alarm?(ms: number, fire: () => void): () => void;
}

/**
 * Every parallel branch passes through `arrive` when it has finished and before the join sees
 * its result, so a test can decide the order in which branches complete. The default lets each
 * through at once.
 */
export interface CompletionOrder {
  arrive(site: string, branch: number, signal: AbortSignal): Promise<void>;
}

// choiros extensions

export interface ExecRequest {
  file: string;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
  timeoutMs: number | undefined;
  logName: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Why it did not exit 0 on its own: `timed out`, `exited 127 (command not found)`. */
  description: string;
  timedOut: boolean;
  durationMs: number;
  /** The command's output as tee'd to the run's log folder, when it wrote any. */
  logFile: string | undefined;
}

export interface ExecPort {
  run(request: ExecRequest, io: AgentCallIo): Promise<ExecResult>;
}

/** A change to what the gates check (a test file, a threshold, a gate's command), keyed by what changed and how. */
export interface CheckChange {
  /** Stable for the same change (path and content, gate and definition): an accepted change is not asked about again. */
  key: string;
  /** One line for a human: `test file changed: test/math.test.js`. */
  text: string;
}

/** How the gates' own changes were judged before they run (see `VerifyPort.review`). */
export interface ChecksDecision {
  /** `unchanged`: nothing to judge; `accepted`: a human accepted every change; `refused`: the gates must not be trusted. */
  status: 'unchanged' | 'accepted' | 'refused';
  changes: CheckChange[];
}

/** One earlier verification of the run, for the digest of the next. */
export interface EarlierAttempt {
  attempt: number;
  passed: boolean;
  /** The first lines of its digest. */
  summary: string;
  /** The checkpoint holding the tree it judged, when it failed. */
  candidate: string | null;
}

export interface VerifyIo {
  signal: AbortSignal;
  onOutput(chunk: string): void;
  logName: string;
  /** A gate's process started (recorded, so that a resume after a crash ends what outlived the runner). */
  onSpawn?(pid: number): void;
  /** 1-based: the run's how-manieth verification this is. */
  attempt?: number;
  earlier?: readonly EarlierAttempt[];
  checks?: ChecksDecision;
}

export interface VerifyPort {
  /** Runs the named gates (none: every gate) and returns the verdict as plain JSON (`passed`, `digest`, …). */
  run(gates: readonly string[], io: VerifyIo): Promise<Record<string, unknown>>;
  /**
   * What changed in the checks — test files, check configuration, the gates' definitions and
   * scripts — since the run's reference tree (its last good checkpoint); none when it cannot tell.
   */
  review?(gates: readonly string[], signal: AbortSignal): Promise<CheckChange[]>;
}

export interface CheckpointResult {
  name: string;
  commit: string;
  good: boolean;
}

export interface RollbackResult {
  /** The checkpoint (or ref) the work tree now matches. */
  target: string;
  /** What `choiros rollback --undo` would return to. */
  undo: string | null;
  changed: number;
}

export interface CheckpointPort {
  create(options: { message: string | undefined; good: boolean }, signal: AbortSignal): Promise<CheckpointResult>;
  /**
   * Back to `target` (a checkpoint name), default the last good checkpoint. `onMoved` is told as
   * soon as the files have moved, while a second Ctrl-C still waits (the ledger records the
   * rollback there: later, the process may be gone).
   */
  rollback(target: string | undefined, signal: AbortSignal | undefined, onMoved?: (moved: RollbackResult) => void): Promise<RollbackResult>;
}

export interface GateRequest {
  name: string;
  prompt: string;
  options: readonly string[];
  timeoutMs: number | undefined;
  /** `on_timeout` / `default`: the answer when no human answers (autonomous mode, no terminal, timeout). */
  fallback: string | undefined;
}

export interface GateAnswer {
  answer: string;
  feedback: string;
  by: string;
}

export interface GatePort {
  /** A human's answer, the fallback, or undefined: no one can answer now (the run waits for approval). */
  ask(request: GateRequest, signal: AbortSignal): Promise<GateAnswer | undefined>;
  /**
   * A person is asked at a terminal and may take a while: the gate is recorded waiting while they
   * are, so every view shows it and an answer given elsewhere (the web dashboard, `choiros
   * approve`) is taken too — the prompt is then withdrawn (`signal`).
   */
  readonly live?: boolean;
}

// Memory of persistent agents

export interface MemoryPort {
  load(agent: string, scope: string): Promise<AgentMemory | undefined>;
  /** A `session:` of a persistent agent starts it afresh. */
  reset(agent: string, scope: string): Promise<void>;
  remember(agent: string, scope: string, entry: { prompt: string; reply: string; sessionId: string | undefined }): Promise<void>;
}

// The journal: the ledger as the interpreter sees it

export interface StepStart {
  /** The step's deterministic address (see step-key.ts). */
  step: string;
  kind: StepKind;
  /** The task name: `session builder`, `exec npm ci`, `verify unit,lint`, `gate deploy`. */
  task: string;
  stage: string | null;
  agent: string | null;
  attempt: number;
  inputs: unknown;
}

/** A step recorded by an earlier interpretation of the same run. */
export interface Recorded {
  /**
   * `succeeded`: done; `failed`: done with a value that says it failed (a failing verification),
   * replayed like a success; `awaiting_approval`: a gate still waiting; `approved`/`rejected`: a
   * waiting gate a human answered since.
   */
  status: 'succeeded' | 'failed' | 'awaiting_approval' | 'approved' | 'rejected';
  /** The step's value as `encodeValue` stored it (for a gate answered later: `{feedback, approver, option}`). */
  value: unknown;
  /** The task that holds it: a resumed run finishes a waiting gate's own task. */
  taskId?: number;
}

export interface ActivitySample {
  outputBytes: number;
  cpuMs: number;
  fileChanges: number;
}

export interface StepDetail {
  /** The first and last lines of the output. */
  logExcerpt?: string;
  /** The step's log file. */
  outputsUri?: string;
  /** A gate's answer: who gave it and how it reads in the ledger's approval columns. */
  approval?: { state: 'approved' | 'rejected'; approver: string; feedback: string };
}

/** One task of the ledger, written before the effect and finished after it. */
export interface StepRecord {
  readonly taskId: number | null;
  output(lines: readonly string[]): void;
  activity(sample: ActivitySample): void;
  retry(nextAttempt: number, delayMs: number, error: string): void;
  /** The step's process started (an agent, a command): kept so that an orphan can be ended after a crash. */
  spawned?(pid: number): void;
  /** `value` is the step's value as `encodeValue` made it; `meta` is kept beside it (cost, exit code). */
  succeed(value: unknown, detail?: StepDetail & { meta?: Record<string, unknown> }): void;
  /** `value`: the step ran to its end and its value says it failed (a failing verification): kept, so a resumed run replays it. */
  fail(reason: string, detail?: StepDetail & { status?: 'failed' | 'skipped'; value?: unknown }): void;
  awaitApproval(): void;
}

export interface Journal {
  /** The value an earlier interpretation recorded for this step, when it finished. */
  recorded(step: string): Recorded | undefined;
  start(step: StepStart): StepRecord;
  /** The same step's task again: a gate that waited for approval is finished on its own task. */
  reopen?(step: string): StepRecord | undefined;
  /** A waiting gate's task as it stands now: answered since (the web dashboard, `choiros approve`), or still waiting. */
  answered?(taskId: number): Recorded | undefined;
  /** Records an answer given at the terminal unless another was recorded first; returns the one that stands. */
  answer?(taskId: number, answer: { state: 'approved' | 'rejected'; approver: string; feedback: string; option: string }): Recorded | undefined;
  /** Attempts of this step recorded earlier (interrupted ones included): a resumed step numbers on from there. */
  priorAttempts?(step: string): number;
  recordedJudgement(site: string, iteration: number): Answer | undefined;
  judgement(entry: { site: string; iteration: number; question: string; answer: Answer }): void;
  /** A value a person typed for an input the run reached, recorded so a resumed run is not asked again. */
  recordedInput?(site: string): unknown;
  input?(entry: { site: string; name: string; value: unknown }): void;
  /** Something the run noticed that a human should know about (a change to the checks, the same failure again). */
  deviation?(entry: { kind: string; stage: string | null; detail: string }): void;
  stage(name: string, status: 'started' | 'succeeded' | 'failed' | 'skipped'): void;
  /** Stages an admin advance (`choiros play advance`) passes over: the runner does not run them. */
  passedOver?(): ReadonlySet<string>;
  /** Records a stage passed over as skipped (once), and skips what still waited in it. */
  passOver?(stage: string): void;
  /** Whether an admin override was recorded since the journal read the run: asked at each phase boundary. */
  overridden?(): boolean;
  /** Reads the run again (what is replayed, what is passed over) after an override. */
  reload?(): void;
  checkpoint(entry: { name: string; commit: string; verdict: string }): void;
  rollback(entry: { target: string; undo: string | null }): void;
}

/** Requests from outside the run (the ledger's `control` column), read between steps. */
export interface ControlPort {
  requested(): 'pause' | 'cancel' | undefined;
}
