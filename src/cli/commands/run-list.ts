/**
 * `choiros runs --by-run`: one row per run — the ids `play --run`, `dashboard --run`, `prose
 * resume` and `choiros approve` take — with how it ended and what its tasks did. The task ledger
 * stays `choiros runs`' default (the command surface is a contract).
 */
import { csvField, runJson } from '../../ledger/pages.js';
import { runStatusText } from '../../ledger/model.js';
import type { RunSummary, TaskCounts } from '../../ledger/run-list.js';
import { formatSpan } from '../../ui/play-format.js';
import { table } from '../table.js';
import { shortTime } from '../short-time.js';

/** `12 done, 1 failed, 1 waiting`: the counts that say how a run went, zeros left out; `-` without tasks. */
export function taskCountsText(c: TaskCounts): string {
  const parts = [
    [c.succeeded, 'done'],
    [c.failed, 'failed'],
    [c.awaiting_approval, 'waiting'],
    [c.running, 'running'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
  return shown.length === 0 ? (c.total === 0 ? '-' : `${c.total} other`) : shown.join(', ');
}

/** `11-22 20:21` this year, `2025-11-22 20:21` before: runs are minutes apart, not seconds. */
export function shortMinute(iso: string, now: Date): string {
  const stamp = shortTime(iso, now);
  return stamp.length === 14 ? stamp.slice(0, 11) : stamp;
}

const HEADER = ['RUN', 'STATUS', 'STARTED', 'TASKS', 'DURATION', 'MODE', 'PROGRAM', 'REASON'];

/**
 * Given up in this order on a narrow terminal: the program, the mode, the reason, the duration,
 * then the task counts. The run id is never cut: it is what people copy.
 */
const DROPS = [6, 5, 7, 4, 3];
const WHOLE = [0, 2];

export function runListRows(items: readonly RunSummary[], now: Date): string[][] {
  return [
    HEADER,
    ...items.map(({ run, tasks, activeMs }) => [
      run.id,
      runStatusText(run.status),
      shortMinute(run.startedAt, now),
      taskCountsText(tasks),
      formatSpan(activeMs),
      run.mode ?? '-',
      run.program,
      (run.reason ?? '').split('\n')[0] ?? '',
    ]),
  ];
}

export function runListTable(items: readonly RunSummary[], columns: number, now: Date): string[] {
  return table(runListRows(items, now), columns, { drop: DROPS, whole: WHOLE });
}

/** A run as `--json` prints it: the API's run (`GET /runs`) with the time it was going and its task counts. */
export function runListJson({ run, tasks, activeMs }: RunSummary) {
  return { ...runJson(run), elapsed_ms: activeMs, tasks };
}

export const RUN_CSV_COLUMNS = ['id', 'program', 'mode', 'status', 'reason', 'started_at', 'finished_at', 'elapsed_ms', 'tasks', 'succeeded', 'failed', 'awaiting_approval', 'origin'] as const;

export function runListCsv(items: readonly RunSummary[]): string {
  const rows = items.map(({ run, tasks, activeMs }) =>
    [run.id, run.program, run.mode, run.status, run.reason, run.startedAt, run.finishedAt, activeMs, tasks.total, tasks.succeeded, tasks.failed, tasks.awaiting_approval, run.origin].map(csvField).join(','),
  );
  return [RUN_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
