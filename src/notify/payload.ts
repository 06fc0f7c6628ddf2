/**
 * What a webhook says (pure): a Slack-compatible `{text}` and a generic JSON payload with the
 * run, the task, its status, outputs and log excerpt, links and the command that continues.
 */
import type { Run, StoredEvent, Task } from '../ledger/model.js';

export const NOTIFY_EVENTS = ['awaiting_approval', 'failed', 'finished', 'deviation'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

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
  run: Run;
  /** The task the event is about; for a failed run, the task that failed last. */
  task: Task | null;
  deviation: { kind: string; stage: string | null; detail: string } | null;
  /** The ledger event that caused it. */
  seq: number;
  places?: NoticePlaces;
}

/** Which notice a ledger event is, if any. */
export function noticeOf(stored: StoredEvent): { event: NotifyEvent; taskId: number | null; deviation: Notice['deviation'] } | undefined {
  const e = stored.event;
  switch (e.type) {
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
  if (notice.event === 'awaiting_approval' && notice.task !== null) return `choiros approve ${notice.task.id}`;
  if (notice.event === 'finished' && notice.run.status === 'succeeded') return null;
  if (notice.event === 'deviation') return `choiros play status --run ${notice.run.id}`;
  return `prose resume ${notice.run.id}`;
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
  return {
    event: notice.event,
    run_id: run.id,
    run: { id: run.id, program: run.program, status: run.status, started_at: run.startedAt, finished_at: run.finishedAt },
    task: task === null ? null : task.task,
    task_id: task?.id ?? null,
    stage: task?.stage ?? notice.deviation?.stage ?? null,
    status: task?.status ?? (notice.event === 'deviation' ? run.status : run.status),
    reason: task?.reason ?? run.reason,
    outputs_uri: task?.outputsUri ?? null,
    log_excerpt: task?.logExcerpt ?? null,
    deviation: notice.deviation,
    links: links(notice),
    resume_command: nextCommand(notice),
  };
}

export function slackText(notice: Notice): string {
  const { run, task } = notice;
  const what = task === null ? `Run ${run.id}` : `Task ${task.task} (${task.id}) of run ${run.id}`;
  const uri = task?.outputsUri;
  let text: string;
  switch (notice.event) {
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
  const command = nextCommand(notice);
  const places = notice.places ?? NO_PLACES;
  const more = [places.runPage, places.digest ?? places.report].filter((x) => x !== null).map((x) => `\n${x}`);
  return `${text}${command === null ? '' : `\nNext: \`${command}\``}${more.join('')}`;
}
