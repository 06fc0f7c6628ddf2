import type { Statement } from '../prose/index.js';
import { isDeclaration } from '../prose/declarations.js';
import { phaseTimeoutMs } from '../prose/phase-properties.js';
import { isDeterministic } from './conditions.js';
import { DEFAULT_LIMITS, type Limits, type Ports, type RunContext } from './context.js';
import { Env } from './env.js';
import { ProseError, RunStop } from './errors.js';
import type { EventSink, RunStatus } from './events.js';
import { child, type Frame } from './frame.js';
import { Interpreter } from './interpreter.js';
import { armPhaseLimit, disarmPhaseLimit } from './phase-limit.js';
import { LoopState, type Caps } from './loop-state.js';
import type { ProgramUnit } from './program.js';
import { MAIN_STAGE, missingInputs } from './plan.js';
import { Semaphore } from './semaphore.js';
import { toPlain, toText, type Value } from './values.js';

export interface RunRequest {
  unit: ProgramUnit;
  inputs: ReadonlyMap<string, Value>;
  /** `phase=NAME`: only that phase (plus top-level definitions). */
  phase?: string | undefined;
  ports: Ports;
  signal: AbortSignal;
  limits?: Partial<Limits>;
  onEvent?: EventSink;
  runId?: string | null;
  autonomous?: boolean;
  dryRun?: boolean;
  /** Hard caps: `max_iterations`, the deadline. */
  caps?: Caps;
}

export interface RunOutcome {
  status: RunStatus;
  outputs: Record<string, Value>;
  error: ProseError | RunStop | undefined;
  durationMs: number;
}

export { MAIN_STAGE };

/** With `phase=NAME`, top-level statements that only define something still run; the rest is another phase's business. */
function isDefinition(statement: Statement): boolean {
  if (isDeclaration(statement)) return true;
  switch (statement.kind) {
    case 'Let':
    case 'Assign':
      return statement.value.kind !== 'If' && statement.value.kind !== 'Try' && statement.value.kind !== 'Choice' && statement.value.kind !== 'Repeat' && statement.value.kind !== 'For' && statement.value.kind !== 'Loop' && isDeterministic(statement.value);
    default:
      return false;
  }
}

/** Runs `work` as a stage of the play: stage events around it, its status from how it ended, its `timeout:` enforced. */
async function stage(it: Interpreter, name: string, work: () => Promise<unknown>, limitMs: number | null = null): Promise<void> {
  const { journal } = it.rc.ports;
  journal.stage(name, 'started');
  it.rc.emit({ type: 'phase.started', phase: name });
  if (limitMs !== null) armPhaseLimit(it.rc, name, limitMs);
  try {
    await work();
  } catch (error) {
    // A pause, a gate waiting or a cap leaves the stage unfinished: `prose resume` goes on with it.
    if (error instanceof RunStop && error.reason !== 'cancelled') throw error;
    const status = error instanceof RunStop ? 'skipped' : 'failed';
    journal.stage(name, status);
    it.rc.emit({ type: 'phase.finished', phase: name, status });
    throw error;
  } finally {
    disarmPhaseLimit(it.rc);
  }
  journal.stage(name, 'succeeded');
  it.rc.emit({ type: 'phase.finished', phase: name, status: 'succeeded' });
}

/**
 * Thrown at a phase boundary when an admin override (`choiros play advance|reset`) was recorded
 * meanwhile: the run is interpreted again from the top with the journal read afresh, as
 * `prose resume` would — finished steps replay, passed-over stages are skipped, reset ones run.
 */
class Replan {}

/** The boundary before a phase (and after the last): where a live run acts on an override. */
function phaseBoundary(it: Interpreter): void {
  if (it.rc.ports.journal.overridden?.() === true) throw new Replan();
}

/** A phase an admin advance passed over: recorded as skipped, not run. */
function passOver(it: Interpreter, name: string): void {
  it.rc.ports.journal.passOver?.(name);
  it.rc.emit({ type: 'phase.finished', phase: name, status: 'skipped' });
}

async function runTopLevel(it: Interpreter, unit: ProgramUnit, phase: string | undefined, frame: Frame): Promise<void> {
  const statements = unit.program.statements;
  if (unit.phases.size === 0) {
    // The top level runs in the program's own scope; the stage only groups its tasks.
    const main = child(frame, { phase: MAIN_STAGE });
    await stage(it, MAIN_STAGE, async () => {
      for (const statement of statements) await it.statement(statement, main);
    });
    return phaseBoundary(it);
  }
  const passedOver = it.rc.ports.journal.passedOver?.() ?? new Set<string>();
  let skipped = false;
  for (const statement of statements) {
    if (statement.kind === 'Phase') {
      const name = statement.name.name;
      if (phase !== undefined && name !== phase) continue;
      phaseBoundary(it);
      if (passedOver.has(name)) passOver(it, name);
      else await stage(it, name, () => it.statement(statement, child(frame, { phase: name })), phaseTimeoutMs(statement));
    } else if (phase === undefined || isDefinition(statement)) {
      await it.statement(statement, frame);
    } else if (!skipped) {
      skipped = true;
      it.rc.emit({ type: 'warning', message: `phase=${phase}: statements outside the phases are skipped, except definitions`, at: undefined });
    }
  }
  phaseBoundary(it);
}

function context(request: RunRequest, controller: AbortController): RunContext {
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
  return {
    ports: request.ports,
    limits,
    emit: request.onEvent ?? (() => {}),
    agentSlots: new Semaphore(limits.maxParallelAgents),
    stopping: undefined,
    abort: (reason) => controller.abort(reason),
    autonomous: request.autonomous === true,
    loop: new LoopState(request.caps),
    phaseLimit: undefined,
    askWhenReached: new Set(missingInputs(request.unit, request.phase, new Set(request.inputs.keys())).later),
  };
}

/**
 * Interprets a program to the end: `succeeded` with its outputs; `failed` with the error no
 * `catch` handled; or stopped — cancelled (Ctrl-C, a cancel request), paused, awaiting approval.
 * Never rejects for anything a program does; a bug in choiros still throws.
 */
export async function runProgram(request: RunRequest): Promise<RunOutcome> {
  const controller = new AbortController();
  // The caller says why it aborts (a cap it watches, the deadline) by aborting with a RunStop.
  const onAbort = () => controller.abort(request.signal.reason instanceof RunStop ? request.signal.reason : new RunStop('cancelled', 'interrupted'));
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener('abort', onAbort, { once: true });
  const rc = context(request, controller);
  const it = new Interpreter(rc);
  const outputs = new Map<string, Value>();
  const frame = (): Frame => {
    const globals = new Env(undefined, 'program');
    outputs.clear();
    return { env: globals, globals, given: request.inputs, unit: request.unit, prefix: '', signal: controller.signal, phase: null, depth: 0, caught: undefined, inBlock: false, outputs, iteration: 0 };
  };
  const started = rc.ports.clock.now();
  const phases = [...request.unit.phases.keys()].filter((p) => request.phase === undefined || p === request.phase);
  rc.emit({ type: 'run.started', runId: request.runId ?? null, program: request.unit.source.path, phases: request.unit.phases.size === 0 ? [MAIN_STAGE] : phases, phased: request.unit.phases.size > 0, dryRun: request.dryRun === true });
  let status: RunStatus = 'succeeded';
  let error: ProseError | RunStop | undefined;
  try {
    for (;;) {
      try {
        await runTopLevel(it, request.unit, request.phase, frame());
        break;
      } catch (caught) {
        if (!(caught instanceof Replan)) throw caught;
        rc.ports.journal.reload?.();
        rc.loop = new LoopState(request.caps);
        rc.emit({ type: 'warning', message: 'an admin override (play advance or reset) was recorded: going on from where it puts the play', at: undefined });
      }
    }
  } catch (caught) {
    // An agent ended by its hard timeout, and nothing caught it: the run stopped at a limit.
    if (caught instanceof ProseError) [status, error] = [caught.limit ? 'limit' : 'failed', caught];
    else if (caught instanceof RunStop) [status, error] = [caught.reason, caught];
    else throw caught;
  } finally {
    request.signal.removeEventListener('abort', onAbort);
  }
  const named = Object.fromEntries([...outputs].map(([k, v]) => [k === '' ? 'output' : k, v]));
  const durationMs = rc.ports.clock.now() - started;
  const at = error instanceof ProseError ? error.where : undefined;
  rc.emit({ type: 'run.finished', status, message: error?.message, at, durationMs, outputs: toPlain(named) as Record<string, unknown>, outputText: Object.fromEntries(Object.entries(named).map(([k, v]) => [k, toText(v)])) });
  return { status, outputs: named, error, durationMs };
}
