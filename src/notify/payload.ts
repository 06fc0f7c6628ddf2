/**
 * What a webhook says (pure): a Slack-compatible `{text}` and a generic JSON payload with the
 * run, the task, its status, outputs and log excerpt, links and the command that continues.
 */
import type { Run, StoredEvent, Task } from '../ledger/model.js';

export const NOTIFY_EVENTS = ['awaiting_approval', 'failed', 'finished', 'deviation', 'started', 'health'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
/**
 * What a target without `on:` is sent: the events that need someone. `started` (the time a run
 * began, the safety checklist's "human notified of start time") and `health` (a recorded score
 * that is warning or critical) are sent only to targets that list them.
 */
export const DEFAULT_NOTIFY_EVENTS: readonly NotifyEvent[] = ['awaiting_approval', 'failed', 'finished', 'deviation'];

/** A health score a notice is about (`choiros health` records them on a stream of their own, not a run). */
export interface HealthNotice {
  score: number;
  status: 'warning' | 'critical';
  /** The checkpoint scored, when one was; null for the work tree. */
  checkpoint: string | null;
  parts: Record<string, number>;
}

/** Where a human looks next: local paths, and the run's page when the dashboard's address is known. */
export interface NoticePlaces {
  /** The run's log folder (`$CHOIROS_HOME/logs/<session>/runs/<run>/`). */
  runFolder: string | null;
  /** The morning report, for a run that stopped (the runner writes it as it exits). */
  report: string | null;
  /** The digest of the run's latest verification, when it failed. */
  digest: string | null;
  /** The run on the web dashboard (`serve.url` in choiros.yaml). */
  runPage: string | null;
}

export const NO_PLACES: NoticePlaces = { runFolder: null, report: null, digest: null, runPage: null };

export interface Notice {
  event: NotifyEvent;
  /** Null for a health notice: a score belongs to the project, not to a run. */
  run: Run | null;
  /** The task the event is about; for a failed run, the task that failed last. */
  task: Task | null;
  deviation: { kind: string; stage: string | null; detail: string } | null;
  health?: HealthNotice | null;
  /** The ledger event that caused it. */
  seq: number;
  places?: NoticePlaces;
}

export interface Found {
  event: NotifyEvent;
  taskId: number | null;
  deviation: Notice['deviation'];
  health?: HealthNotice;
}

/** Which notice a ledger event is, if any. */
export function noticeOf(stored: StoredEvent): Found | undefined {
  const e = stored.event;
  switch (e.type) {
    case 'run.started':
      return { event: 'started', taskId: null, deviation: null };
    case 'health':
      // A healthy score needs no one.
      if (e.status === 'healthy') return undefined;
      return { event: 'health', taskId: null, deviation: null, health: { score: e.score, status: e.status, checkpoint: e.checkpoint, parts: e.parts } };
    case 'task.transition':
      if (e.to === 'awaiting_approval' || e.to === 'failed') return { event: e.to, taskId: e.taskId, deviation: null };
      return undefined;
    case 'run.finished':
      if (e.status === 'failed') return { event: 'failed', taskId: null, deviation: null };
      if (e.status === 'running' || e.status === 'paused' || e.status === 'awaiting_approval') return undefined; // the task already said it waits
      return { event: 'finished', taskId: null, deviation: null };
    case 'deviation':
      return { event: 'deviation', taskId: stored.taskId, deviation: { kind: e.kind, stage: e.stage, detail: e.detail } };
    default:
      return undefined;
  }
}

/** The command that moves things on from here. */
export function nextCommand(notice: Notice): string | null {
  const { run } = notice;
  // What is wrong, part by part (`--rollback-below` rolls back to a healthy checkpoint).
  if (notice.event === 'health' || run === null) return 'choiros health';
  if (notice.event === 'awaiting_approval' && notice.task !== null) return `choiros approve ${notice.task.id}`;
  if (notice.event === 'finished' && run.status === 'succeeded') return null;
  if (notice.event === 'deviation' || notice.event === 'started') return `choiros play status --run ${run.id}`;
  return `prose resume ${run.id}`;
}

/** `config 0%, critical files 60%`: the parts of a score below full marks, worst first. */
function weakParts(parts: Record<string, number>): string {
  return Object.entries(parts)
    .filter(([, score]) => score < 100)
    .sort((a, b) => a[1] - b[1])
    .map(([name, score]) => `${name.replace(/_/g, ' ')} ${Math.round(score)}%`)
    .join(', ');
}

/** The run's page on a dashboard served at `base`. */
export function runPageUrl(base: string, runId: string): string {
  return `${base.replace(/\/+$/, '')}/?run=${encodeURIComponent(runId)}`;
}

export function links(notice: Notice): { label: string; url: string }[] {
  const places = notice.places ?? NO_PLACES;
  const all: Array<[string, string | null | undefined]> = [
    ['run page', places.runPage],
    ['outputs', notice.task?.outputsUri],
    ['failure digest', places.digest],
    ['report', places.report],
    ['run folder', places.runFolder],
  ];
  return all.flatMap(([label, url]) => (url === null || url === undefined ? [] : [{ label, url }]));
}

export function genericPayload(notice: Notice) {
  const { run, task } = notice;
  const health = notice.health ?? null;
  return {
    event: notice.event,
    run_id: run?.id ?? null,
    run: run === null ? null : { id: run.id, program: run.program, status: run.status, started_at: run.startedAt, finished_at: run.finishedAt },
    task: task === null ? null : task.task,
    task_id: task?.id ?? null,
    stage: task?.stage ?? notice.deviation?.stage ?? null,
    status: task?.status ?? run?.status ?? health?.status ?? null,
    reason: task?.reason ?? run?.reason ?? null,
    outputs_uri: task?.outputsUri ?? null,
    log_excerpt: task?.logExcerpt ?? null,
    deviation: notice.deviation,
    health,
    links: links(notice),
    resume_command: nextCommand(notice),
  };
}

function healthText(health: HealthNotice | null | undefined): string {
  if (health === undefined || health === null) return 'Health score recorded';
  const weak = weakParts(health.parts);
  return `Health ${health.status}${health.checkpoint === null ? '' : ` (checkpoint ${health.checkpoint})`}: ${health.score.toFixed(1)} / 100${weak === '' ? '' : ` — ${weak}`}`;
}

export function slackText(notice: Notice): string {
  const { run, task } = notice;
  const command = nextCommand(notice);
  if (run === null) return `${healthText(notice.health)}${command === null ? '' : `\nNext: \`${command}\``}`;
  const what = task === null ? `Run ${run.id}` : `Task ${task.task} (${task.id}) of run ${run.id}`;
  const uri = task?.outputsUri;
  let text: string;
  switch (notice.event) {
    case 'started':
      text = `Run ${run.id} started at ${run.startedAt}: ${run.program}${run.mode === null ? '' : ` (${run.mode})`}`;
      break;
    case 'health':
      text = healthText(notice.health);
      break;
    case 'awaiting_approval':
      text = `${what} awaiting approval${uri === null || uri === undefined ? '' : `: ${uri}`}`;
      break;
    case 'failed':
      text = `${what} failed${(task?.reason ?? run.reason) === null ? '' : `: ${task?.reason ?? run.reason}`}`;
      break;
    case 'finished':
      text = `${what} finished: ${run.status}`;
      break;
    case 'deviation':
      text = `Run ${run.id} deviated from its play: ${notice.deviation?.kind ?? '?'}${notice.deviation?.stage ? ` in ${notice.deviation.stage}` : ''}: ${notice.deviation?.detail ?? ''}`;
      break;
  }
  const places = notice.places ?? NO_PLACES;
  const more = [places.runPage, places.digest ?? places.report].filter((x) => x !== null).map((x) => `\n${x}`);
  return `${text}${command === null ? '' : `\nNext: \`${command}\``}${more.join('')}`;
}
