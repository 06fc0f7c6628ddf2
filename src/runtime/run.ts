import type { Statement } from '../prose/index.js';
import { isDeterministic } from './conditions.js';
import { DEFAULT_LIMITS, type Limits, type Ports, type RunContext } from './context.js';
import { Env } from './env.js';
import { ProseError, RunStop } from './errors.js';
import type { EventSink, RunStatus } from './events.js';
import { child, type Frame } from './frame.js';
import { Interpreter } from './interpreter.js';
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
  switch (statement.kind) {
    case 'Use':
    case 'Import':
    case 'Input':
    case 'Agent':
    case 'BlockDefinition':
    case 'OutputDeclaration':
      return true;
    case 'Let':
    case 'Assign':
      return statement.value.kind !== 'If' && statement.value.kind !== 'Try' && statement.value.kind !== 'Choice' && statement.value.kind !== 'Repeat' && statement.value.kind !== 'For' && statement.value.kind !== 'Loop' && isDeterministic(statement.value);
    default:
      return false;
  }
}

/** Runs `work` as a stage of the play: stage events around it, its status from how it ended. */
async function stage(it: Interpreter, name: string, work: () => Promise<unknown>): Promise<void> {
  const { journal } = it.rc.ports;
  journal.stage(name, 'started');
  it.rc.emit({ type: 'phase.started', phase: name });
  try {
    await work();
  } catch (error) {
    // A pause, a gate waiting or a cap leaves the stage unfinished: `prose resume` goes on with it.
    if (error instanceof RunStop && error.reason !== 'cancelled') throw error;
    const status = error instanceof RunStop ? 'skipped' : 'failed';
    journal.stage(name, status);
    it.rc.emit({ type: 'phase.finished', phase: name, status });
    throw error;
  }
  journal.stage(name, 'succeeded');
  it.rc.emit({ type: 'phase.finished', phase: name, status: 'succeeded' });
}

async function runTopLevel(it: Interpreter, unit: ProgramUnit, phase: string | undefined, frame: Frame): Promise<void> {
  const statements = unit.program.statements;
  if (unit.phases.size === 0) {
    // The top level runs in the program's own scope; the stage only groups its tasks.
    const main = child(frame, { phase: MAIN_STAGE });
    return stage(it, MAIN_STAGE, async () => {
      for (const statement of statements) await it.statement(statement, main);
    });
  }
  let skipped = false;
  for (const statement of statements) {
    if (statement.kind === 'Phase') {
      if (phase === undefined || statement.name.name === phase) await stage(it, statement.name.name, () => it.statement(statement, child(frame, { phase: statement.name.name })));
    } else if (phase === undefined || isDefinition(statement)) {
      await it.statement(statement, frame);
    } else if (!skipped) {
      skipped = true;
      it.rc.emit({ type: 'warning', message: `phase=${phase}: statements outside the phases are skipped, except definitions`, at: undefined });
    }
  }
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
  const globals = new Env(undefined, 'program');
  const outputs = new Map<string, Value>();
  const frame: Frame = { env: globals, globals, given: request.inputs, unit: request.unit, prefix: '', signal: controller.signal, phase: null, depth: 0, caught: undefined, inBlock: false, outputs, iteration: 0 };
  const started = rc.ports.clock.now();
  const phases = [...request.unit.phases.keys()].filter((p) => request.phase === undefined || p === request.phase);
  rc.emit({ type: 'run.started', runId: request.runId ?? null, program: request.unit.source.path, phases: request.unit.phases.size === 0 ? [MAIN_STAGE] : phases, phased: request.unit.phases.size > 0, dryRun: request.dryRun === true });
  let status: RunStatus = 'succeeded';
  let error: ProseError | RunStop | undefined;
  try {
    await runTopLevel(it, request.unit, request.phase, frame);
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
