import { formatDuration } from '../config/units.js';
import type { LedgerEvent, StoredEvent } from '../ledger/model.js';

export interface TimelineEntry {
  seq: number;
  time: string;
  /** Since the run started, ms. */
  offsetMs: number;
  type: LedgerEvent['type'];
  stage: string | null;
  text: string;
}

function describe(event: LedgerEvent, stageOfTask: ReadonlyMap<number, string | null>): { text: string; stage: string | null } | undefined {
  switch (event.type) {
    case 'run.started':
      return { text: `run started: ${event.program}${event.mode === null ? '' : ` (${event.mode})`}${event.origin === 'external' ? ', logged through the task API' : ''}`, stage: null };
    case 'play.spec':
      return { text: `play: ${event.stages.map((s) => s.name).join(' → ')}`, stage: null };
    case 'run.finished':
      // An external run whose orchestrator logged a task after its last one ended goes on.
      if (event.status === 'running') return { text: 'run continues', stage: null };
      return { text: `run ${event.status}${event.reason === null ? '' : `: ${event.reason}`}`, stage: null };
    case 'run.control':
      return { text: `${event.control} requested${event.by === null ? '' : ` by ${event.by}`}`, stage: null };
    case 'run.resumed':
      return { text: `run resumed (pid ${event.pid})`, stage: null };
    case 'run.continued':
      return { text: `prose resume started in the background${event.by === null ? '' : ` for ${event.by}`} (${event.why}, pid ${event.pid})`, stage: null };
    case 'stage.started':
      return { text: `stage ${event.stage} started`, stage: event.stage };
    case 'stage.finished':
      return { text: `stage ${event.stage} ${event.status}`, stage: event.stage };
    case 'task.created':
      return { text: `task ${event.taskId} ${event.task}${event.agent === null ? '' : ` (${event.agent})`} ${event.status}`, stage: event.stage };
    case 'task.transition':
      return { text: `task ${event.taskId} ${event.from} → ${event.to}${event.reason === null ? '' : ` (${event.reason})`}`, stage: stageOfTask.get(event.taskId) ?? null };
    case 'task.retry':
      return { text: `task ${event.taskId} retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${event.error}`, stage: stageOfTask.get(event.taskId) ?? null };
    case 'task.approval':
      return { text: `task ${event.taskId} ${event.state}${event.approver === null ? '' : ` by ${event.approver}`}`, stage: stageOfTask.get(event.taskId) ?? null };
    case 'judgement':
      return { text: `judgement at ${event.site} #${event.iteration}: ${event.answer}`, stage: null };
    case 'checkpoint':
      return { text: `checkpoint ${event.name} (${event.verdict})`, stage: null };
    case 'rollback':
      return { text: `rolled back to ${event.target}`, stage: null };
    case 'deviation':
      return { text: `deviation ${event.kind}: ${event.detail}`, stage: event.stage };
    case 'notify':
      return { text: `notified ${event.target} of ${event.event}: ${event.ok ? 'sent' : 'failed'} after ${event.attempts} attempt(s)`, stage: null };
    case 'admin':
      return { text: `admin ${event.action} to ${event.stage}${event.by === null ? '' : ` by ${event.by}`}`, stage: event.stage };
    case 'input':
      // The value stays in the ledger (redacted): a history says that it was answered, not what.
      return { text: `input ${event.name} answered`, stage: null };
    case 'health':
      return { text: `health ${event.score.toFixed(1)} / 100 (${event.status})${event.checkpoint === null ? '' : ` of ${event.checkpoint}`}`, stage: null };
    // Samples, and the pid a step started (kept so a resumed run can end what its dead runner
    // left): bookkeeping, which the task's own events already tell.
    case 'agent.output':
    case 'activity':
    case 'task.process':
      return undefined; // samples and bookkeeping, not history
    default:
      return { text: `event ${(event as { type: string }).type}`, stage: null };
  }
}

/** The run's history for people: one entry per meaningful event, agent output, samples and process ids left out. */
export function timeline(events: readonly StoredEvent[]): TimelineEntry[] {
  const start = events.find((e) => e.event.type === 'run.started') ?? events[0];
  const origin = start === undefined ? 0 : Date.parse(start.time);
  const stageOfTask = new Map<number, string | null>();
  const entries: TimelineEntry[] = [];
  for (const e of events) {
    if (e.event.type === 'task.created') stageOfTask.set(e.event.taskId, e.event.stage);
    const described = describe(e.event, stageOfTask);
    if (described === undefined) continue;
    entries.push({ seq: e.seq, time: e.time, offsetMs: Date.parse(e.time) - origin, type: e.event.type, ...described });
  }
  return entries;
}
