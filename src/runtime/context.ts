import type { EventSink } from './events.js';
import type { RunStop } from './errors.js';
import type { AgentPort, CheckpointPort, Clock, CompletionOrder, ControlPort, ExecPort, GatePort, InputPort, Journal, MemoryPort, Oracle, VerifyPort } from './ports.js';
import type { Sampler } from './activity.js';
import type { LoopState } from './loop-state.js';
import type { PhaseLimit } from './phase-limit.js';
import type { Semaphore } from './semaphore.js';

export interface Ports {
  agents: AgentPort;
  oracle: Oracle;
  inputs: InputPort;
  clock: Clock;
  journal: Journal;
  exec: ExecPort;
  verify: VerifyPort;
  checkpoints: CheckpointPort;
  gates: GatePort;
  memory: MemoryPort;
  completion?: CompletionOrder;
  control?: ControlPort;
  sampler?: Sampler;
}

export interface Limits {
  /** Agents running at once across all parallel branches (`max_parallel_agents`). */
  maxParallelAgents: number;
  /** Iterations of a `loop` without `max`. */
  loopCap: number;
  /** Nested block and program calls. */
  maxDepth: number;
  /** Between activity samples of a running step. */
  activityIntervalMs: number;
  /** First delay of `backoff: linear | exponential`. */
  backoffBaseMs: number;
}

export const DEFAULT_LIMITS: Limits = { maxParallelAgents: 4, loopCap: 100, maxDepth: 100, activityIntervalMs: 15_000, backoffBaseMs: 1000 };

/** What every part of the interpreter shares during one run. */
export interface RunContext {
  ports: Ports;
  limits: Limits;
  emit: EventSink;
  agentSlots: Semaphore;
  /** Set when the run must end at the next step boundary (pause, a gate waiting for approval). */
  stopping: RunStop | undefined;
  /** Aborts every path of the run (Ctrl-C, a cancel request). */
  abort(reason: RunStop): void;
  /** The run's mode (`mode=autonomous` never waits for a human). */
  autonomous: boolean;
  /** The agentic loop's memory: verifications, failures in a row, accepted changes to the checks, the caps. */
  loop: LoopState;
  /** The `timeout:` of the phase running now, if it has one (phases run one at a time, at the top level). */
  phaseLimit: PhaseLimit | undefined;
  /** Inputs of the program asked through the inputs port when the run reaches them, not before it starts (plan.ts `missingInputs`). */
  askWhenReached: ReadonlySet<string>;
}
