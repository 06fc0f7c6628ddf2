import { parseAnswers, ScriptedAgent } from '../../../src/agents/scripted.js';
import { checkProgram, formatDiagnostic, hasErrors, parseProgram } from '../../../src/prose/index.js';
import {
  DefaultOracle,
  makeUnit,
  MemoryJournal,
  runProgram,
  ScriptedOracle,
  type AgentMemory,
  type AgentPort,
  type CheckChange,
  type CheckpointPort,
  type Clock,
  type CompletionOrder,
  type ExecPort,
  type ExecRequest,
  type ExecResult,
  type GateAnswer,
  type GatePort,
  type GateRequest,
  type Limits,
  type MemoryPort,
  type Oracle,
  type ProgramUnit,
  type RollbackResult,
  type RunEvent,
  type RunOutcome,
  type Value,
  type VerifyIo,
  type VerifyPort,
} from '../../../src/runtime/index.js';
import type { Caps } from '../../../src/runtime/loop-state.js';

/** Parses and checks a program; a test program with errors fails the test with its diagnostics. */
export function unit(text: string, path = 'test.prose', programs = new Map<string, ProgramUnit>()): ProgramUnit {
  const parsed = parseProgram(text, path);
  const signatures = new Map([...programs].map(([, u]) => [u.source.path, { inputs: u.inputs, outputs: [] as string[] }]));
  const diagnostics = [...parsed.diagnostics, ...checkProgram(parsed, { programs: signatures })].filter((d) => d.severity === 'error');
  if (hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => formatDiagnostic(d, parsed.source)).join('\n'));
  return makeUnit(path, parsed, programs);
}

/** Time that moves only when someone sleeps: retries and backoff are exact. */
export class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  private alarms: Array<{ at: number; fire: () => void }> = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    const due = this.alarms.filter((a) => a.at <= this.time);
    this.alarms = this.alarms.filter((a) => a.at > this.time);
    for (const a of due) a.fire();
  }

  /** Fires when a sleep moves the time past it, as a timer would while that sleep ran. */
  alarm(ms: number, fire: () => void): () => void {
    const entry = { at: this.time + ms, fire };
    this.alarms.push(entry);
    return () => void (this.alarms = this.alarms.filter((a) => a !== entry));
  }
}

/** Parallel branches complete in the given order (by branch number), whatever their timing. */
export class FixedOrder implements CompletionOrder {
  private readonly next = new Map<string, number>();
  private readonly waiting = new Map<string, Map<number, () => void>>();

  constructor(private readonly order: readonly number[]) {}

  arrive(site: string, branch: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.waiting.get(site) ?? new Map<number, () => void>();
      this.waiting.set(site, waiting);
      const release = () => {
        waiting.delete(branch);
        this.next.set(site, (this.next.get(site) ?? 0) + 1);
        resolve();
        queueMicrotask(() => this.wake(site));
      };
      waiting.set(branch, release);
      signal.addEventListener('abort', () => (waiting.delete(branch), resolve()), { once: true });
      this.wake(site);
    });
  }

  private wake(site: string): void {
    const position = this.next.get(site) ?? 0;
    const expected = this.order[position];
    const waiting = this.waiting.get(site);
    if (expected !== undefined) waiting?.get(expected)?.();
    else if (waiting !== undefined) for (const release of [...waiting.values()]) release();
  }
}

export class FakeExec implements ExecPort {
  readonly requests: ExecRequest[] = [];

  constructor(private readonly respond: (request: ExecRequest) => Partial<ExecResult> = () => ({})) {}

  async run(request: ExecRequest): Promise<ExecResult> {
    this.requests.push(request);
    const result = { exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1, logFile: undefined, ...this.respond(request) };
    return { description: result.exitCode === 0 ? 'exited 0' : `exited ${result.exitCode}`, ...result };
  }
}

export class FakeVerify implements VerifyPort {
  readonly calls: string[][] = [];
  /** What each call was told: its attempt number, the earlier attempts, the decision on the checks. */
  readonly ios: VerifyIo[] = [];
  readonly review?: (gates: readonly string[]) => Promise<CheckChange[]>;

  constructor(
    private readonly verdicts: Array<Record<string, unknown>> = [],
    /** What `review` finds before each verification, in turn (none: the port has no review). */
    reviews?: CheckChange[][],
  ) {
    if (reviews !== undefined) this.review = async () => reviews.shift() ?? [];
  }

  async run(gates: readonly string[], io: VerifyIo): Promise<Record<string, unknown>> {
    this.calls.push([...gates]);
    this.ios.push(io);
    return this.verdicts.shift() ?? { passed: true, status: 'pass', digest: 'all gates passed', failures: [] };
  }
}

export class FakeCheckpoints implements CheckpointPort {
  readonly log: string[] = [];
  private count = 0;

  async create(options: { message: string | undefined; good: boolean }): Promise<{ name: string; commit: string; good: boolean }> {
    this.count += 1;
    this.log.push(`checkpoint ${this.count}${options.good ? ' good' : ''}${options.message === undefined ? '' : ` ${options.message}`}`);
    return { name: `cp-${this.count}`, commit: `c0ffee${this.count}`, good: options.good };
  }

  async rollback(target: string | undefined, _signal?: AbortSignal, onMoved?: (moved: RollbackResult) => void): Promise<RollbackResult> {
    this.log.push(`rollback ${target ?? '(last good)'}`);
    const moved = { target: target ?? 'cp-last-good', undo: 'pre-rollback/1', changed: 2 };
    onMoved?.(moved);
    return moved;
  }
}

export class FakeGates implements GatePort {
  readonly asked: GateRequest[] = [];

  constructor(private readonly answers: Array<GateAnswer | undefined> = []) {}

  async ask(request: GateRequest): Promise<GateAnswer | undefined> {
    this.asked.push(request);
    return this.answers.shift();
  }
}

export class FakeMemory implements MemoryPort {
  readonly memories = new Map<string, AgentMemory>();

  async load(agent: string): Promise<AgentMemory | undefined> {
    return this.memories.get(agent);
  }

  async reset(agent: string): Promise<void> {
    this.memories.delete(agent);
  }

  async remember(agent: string, _scope: string, entry: { prompt: string; reply: string; sessionId: string | undefined }): Promise<void> {
    const previous = this.memories.get(agent);
    this.memories.set(agent, { transcript: `${previous?.transcript ?? ''}> ${entry.prompt}\n${entry.reply}\n`, sessionId: entry.sessionId ?? previous?.sessionId ?? null });
  }
}

export interface HarnessOptions {
  answers?: unknown;
  oracle?: unknown;
  inputs?: Record<string, Value>;
  phase?: string;
  order?: readonly number[];
  programs?: Map<string, ProgramUnit>;
  exec?: FakeExec;
  verify?: FakeVerify;
  gates?: FakeGates;
  journal?: MemoryJournal;
  limits?: Partial<Limits>;
  autonomous?: boolean;
  signal?: AbortSignal;
  ask?: (name: string) => Value | undefined;
  oraclePort?: Oracle;
  /** What the ledger's `control` column says before each step. */
  control?: () => 'pause' | 'cancel' | undefined;
  /** Another agent port instead of the scripted agent. */
  agentPort?: AgentPort;
  caps?: Caps;
  clock?: FakeClock;
  checkpoints?: FakeCheckpoints;
}

export interface Harness extends RunOutcome {
  agent: ScriptedAgent;
  journal: MemoryJournal;
  clock: FakeClock;
  events: RunEvent[];
  exec: FakeExec;
  verify: FakeVerify;
  checkpoints: FakeCheckpoints;
  gates: FakeGates;
  memory: FakeMemory;
  /** `agent: prompt` of every agent call, in call order. */
  prompts: string[];
}

/** Runs a program against the scripted agent and fakes of every other port. */
export async function run(text: string, options: HarnessOptions = {}): Promise<Harness> {
  const clock = options.clock ?? new FakeClock();
  const agent = new ScriptedAgent(parseAnswers(options.answers ?? {}), (ms) => clock.sleep(ms));
  const journal = options.journal ?? new MemoryJournal();
  const exec = options.exec ?? new FakeExec();
  const verify = options.verify ?? new FakeVerify();
  const checkpoints = options.checkpoints ?? new FakeCheckpoints();
  const gates = options.gates ?? new FakeGates();
  const memory = new FakeMemory();
  const events: RunEvent[] = [];
  const oracle = options.oraclePort ?? (options.oracle === undefined ? new DefaultOracle() : new ScriptedOracle(options.oracle));
  const outcome = await runProgram({
    unit: unit(text, 'test.prose', options.programs),
    inputs: new Map(Object.entries(options.inputs ?? {})),
    phase: options.phase,
    signal: options.signal ?? new AbortController().signal,
    ports: {
      agents: options.agentPort ?? agent,
      oracle,
      inputs: { ask: async (name) => options.ask?.(name) },
      clock,
      journal,
      exec,
      verify,
      checkpoints,
      gates,
      memory,
      ...(options.order === undefined ? {} : { completion: new FixedOrder(options.order) }),
      ...(options.control === undefined ? {} : { control: { requested: options.control } }),
    },
    limits: { activityIntervalMs: 0, ...options.limits },
    onEvent: (event) => events.push(event),
    autonomous: options.autonomous === true,
    ...(options.caps === undefined ? {} : { caps: options.caps }),
  });
  const prompts = agent.calls.map((c) => `${c.agent}: ${c.request.prompt}`);
  return { ...outcome, agent, journal, clock, events, exec, verify, checkpoints, gates, memory, prompts };
}
