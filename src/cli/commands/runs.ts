import { existsSync } from 'node:fs';
import { isBareNumber, parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import { RUN_STATUSES, TASK_STATUSES, type RunStatus, type Task, type TaskStatus } from '../../ledger/model.js';
import type { Args, CommandContext, CommandSpec } from '../command.js';
import { shortTime } from '../short-time.js';
import { table } from '../table.js';
import { ledgerPath, openLedger, projectRedactor, redacting, withSecretsRedacted } from './ledger-access.js';

export { shortTime };

export const DEFAULT_LIMIT = 50;
export const MAX_PAGE = 1000;
export const MAX_CSV_ROWS = 10_000;

const SINCE_FORMS = 'an ISO date or time (2026-11-01, 2026-11-01T10:00:00Z) or a duration back from now (30m, 12h, 7d, 1h30m)';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `--since`: an ISO date or time, or a duration back from now (`7d`, `12h`). A duration with a
 * sign (`-5d`, the way one writes "5 days ago") and a bare number (days? hours?) are refused with
 * the form that works, and so is anything else `Date.parse` would have guessed at (`5` is 2001).
 */
export function parseSince(text: string, now: number): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`--since needs a value: ${SINCE_FORMS}.`);
  const unsigned = trimmed.replace(/^[-+]/, '');
  const back = isBareNumber(unsigned) ? undefined : parseDuration(unsigned);
  if (back !== undefined && unsigned !== trimmed) {
    throw new UsageError(`--since ${trimmed}: a duration already counts back from now, so it takes no sign.`, { hint: `choiros runs --since ${unsigned}` });
  }
  if (back !== undefined) return new Date(now - back).toISOString();
  const at = ISO_DATE.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (!Number.isNaN(at)) return new Date(at).toISOString();
  throw new UsageError(`--since: expected ${SINCE_FORMS}, got '${text}'.`, isBareNumber(unsigned) ? { hint: `A number needs its unit: --since ${unsigned}d for days, ${unsigned}h for hours.` } : {});
}

/** Reasons short enough to show beside a status: `failed (interrupted)` tells what `failed` alone does not. */
const SHOWN_REASONS = new Set(['interrupted', 'cancelled', 'limit', 'timeout', 'idle_timeout', 'stuck', 'flaky', 'rejected']);

function statusText(t: Pick<Task, 'status' | 'reason'>): string {
  return t.reason !== null && SHOWN_REASONS.has(t.reason) && t.reason !== t.status ? `${t.status} (${t.reason})` : t.status;
}

function duration(ms: number | null): string {
  return ms === null ? '-' : ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/**
 * The columns a narrow terminal gives up, in order: outputs and approval first, then the run
 * (first of all when --run already names it), then the duration; ID, task, status and start stay.
 */
function narrowDrops(oneRun: boolean): number[] {
  return oneRun ? [2, 7, 6, 5] : [7, 6, 2, 5];
}

/** What --status may name: a task status, or with --by-run a run status (both lists, checked per view). */
const ANY_STATUS = [...new Set<string>([...TASK_STATUSES, ...RUN_STATUSES])];

/** A status of the other view is refused with the command that takes it (`--status stopped` is a run's). */
function checkStatus(status: string | undefined, byRun: boolean): void {
  if (status === undefined) return;
  if (byRun && !(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status ${status} is a task status; runs are ${RUN_STATUSES.join(', ')}.`, { hint: `choiros runs --status ${status}   # the tasks` });
  }
  if (!byRun && !(TASK_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status ${status} is a run status; tasks are ${TASK_STATUSES.join(', ')}.`, { hint: `choiros runs --by-run --status ${status}   # the runs` });
  }
}

/** The page size asked for, checked: at most MAX_PAGE, or MAX_CSV_ROWS for CSV (all of them by default). */
function pageLimit(args: Args, csv: boolean): number {
  const max = csv ? MAX_CSV_ROWS : MAX_PAGE;
  const limit = (args.limit as number | undefined) ?? (csv ? MAX_CSV_ROWS : DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw new UsageError(`--limit: expected a whole number from 1 to ${max}, got ${String(args.limit)}`);
  return limit;
}

/** `choiros runs --by-run`: one row per run, newest first (run-list.ts). */
async function listRuns(args: Args, ctx: CommandContext, limit: number, csv: boolean): Promise<number> {
  if (args.task !== undefined || args.run !== undefined) {
    throw new UsageError(`--by-run lists runs; --${args.task !== undefined ? 'task' : 'run'} picks tasks.`, { hint: args.run !== undefined ? `choiros runs --run ${String(args.run)}   # that run's tasks` : 'choiros runs --task NAME   # the tasks of that name' });
  }
  const filter = {
    ...(args.status === undefined ? {} : { status: args.status as RunStatus }),
    ...(args.since === undefined ? {} : { since: parseSince(String(args.since), Date.now()) }),
  };
  const view = await import('./run-list.js');
  if (!existsSync(ledgerPath((await ctx.project()).root))) {
    if (csv) ctx.out.stdout.write(view.runListCsv([]));
    else if (args.json === true) ctx.out.json({ items: [], next_cursor: null });
    else ctx.out.line('No runs recorded here yet: `prose run` records them in .choiros/ledger.db.');
    return 0;
  }
  const [{ ledger }, { pageRunSummaries }] = await Promise.all([openLedger(ctx), import('../../ledger/run-list.js')]);
  const redactor = await projectRedactor(ctx);
  const out = redacting(ctx.out, redactor);
  try {
    const now = Date.now();
    const page = pageRunSummaries(ledger, filter, limit, args.cursor as string | undefined, now);
    if (csv) {
      ctx.out.stdout.write(redactor.redact(view.runListCsv(page.items)));
      if (page.next_cursor !== null) out.note(`Stopped at ${page.items.length.toLocaleString('en-US')} rows; continue with --cursor ${page.next_cursor}`);
    } else if (args.json === true) {
      out.json({ items: page.items.map(view.runListJson), next_cursor: page.next_cursor });
    } else {
      if (page.items.length === 0) out.line('No runs match.');
      else for (const line of view.runListTable(page.items, out.columns, new Date(now))) out.line(line);
      if (page.next_cursor !== null) out.note(`More: choiros runs --by-run --cursor ${page.next_cursor}${args.limit === undefined ? '' : ` --limit ${limit}`}`);
    }
  } finally {
    ledger.close();
  }
  return 0;
}

export const runs: CommandSpec = withSecretsRedacted({
  name: 'runs',
  describe: 'the task ledger, newest first, a page at a time (keyset pagination); --by-run lists the runs',
  options: {
    'by-run': { type: 'boolean', describe: 'one row per run instead (its id, status and why, start, task counts, duration): the ids play --run, dashboard --run and prose resume take' },
    status: { type: 'string', describe: `only tasks with this status; with --by-run, only runs with this one (${RUN_STATUSES.join(', ')})`, choices: ANY_STATUS },
    task: { type: 'string', describe: 'only tasks with this name, as listed ("session builder", "verify unit", "gate deploy" …)' },
    run: { type: 'string', describe: 'only tasks of this run' },
    since: { type: 'string', describe: 'only tasks (runs) started since an ISO date or time (2026-11-01, 2026-11-01T10:00:00Z) or a duration ago (30m, 12h, 7d; no sign)' },
    limit: { type: 'number', describe: `rows per page (at most ${MAX_PAGE}; with --csv at most ${MAX_CSV_ROWS}, default all up to that)` },
    cursor: { type: 'string', describe: 'continue after a page: its next_cursor' },
    json: { type: 'boolean', describe: 'print {items, next_cursor}' },
    csv: { type: 'boolean', describe: `CSV with the task (run) fields as columns (up to ${MAX_CSV_ROWS.toLocaleString('en-US')} rows)` },
  },
  examples: [
    ['choiros runs --by-run', 'the runs, newest first: how each ended, its task counts'],
    ['choiros runs --status awaiting_approval', 'what waits for a human'],
    ['choiros runs --task "session builder" --status failed', 'the failed attempts of the builder agent'],
    ['choiros runs --since 7d --csv > tasks.csv', 'a week of tasks for a spreadsheet'],
  ],
  async run(args, ctx) {
    if (args.json === true && args.csv === true) throw new UsageError('--json and --csv cannot be combined');
    const csv = args.csv === true;
    const limit = pageLimit(args, csv);
    const byRun = args.byRun === true;
    checkStatus(args.status as string | undefined, byRun);
    if (byRun) return listRuns(args, ctx, limit, csv);
    const filter = {
      ...(args.status === undefined ? {} : { status: args.status as TaskStatus }),
      ...(args.task === undefined ? {} : { task: String(args.task) }),
      ...(args.run === undefined ? {} : { runId: String(args.run) }),
      ...(args.since === undefined ? {} : { since: parseSince(String(args.since), Date.now()) }),
    };
    // A listing of nothing is not a failure: a project that never ran has an empty ledger page.
    if (!existsSync(ledgerPath((await ctx.project()).root))) {
      const { tasksCsv } = await import('../../ledger/pages.js');
      if (csv) ctx.out.stdout.write(tasksCsv([]));
      else if (args.json === true) ctx.out.json({ items: [], next_cursor: null });
      else ctx.out.line('No runs recorded here yet: `prose run` records them in .choiros/ledger.db.');
      return 0;
    }
    const { ledger } = await openLedger(ctx);
    const redactor = await projectRedactor(ctx);
    const out = redacting(ctx.out, redactor);
    try {
      const page = ledger.pageTasks(filter, limit, args.cursor as string | undefined);
      const { tasksCsv, taskJson } = await import('../../ledger/pages.js');
      if (csv) {
        ctx.out.stdout.write(redactor.redact(tasksCsv(page.items)));
        if (page.next_cursor !== null) out.note(`Stopped at ${page.items.length.toLocaleString('en-US')} rows; continue with --cursor ${page.next_cursor}`);
      } else if (args.json === true) {
        out.json({ items: page.items.map(taskJson), next_cursor: page.next_cursor });
      } else {
        const rows = page.items.map((t) => [String(t.id), t.task, t.runId, statusText(t), shortTime(t.startedAt), duration(t.durationMs), t.approvalState ?? '-', t.outputsUri ?? '']);
        if (rows.length === 0) out.line(`No tasks match.${/^[a-z]+:\S/.test(filter.task ?? '') ? ` Task names are written with a space: --task "${(filter.task ?? '').replace(':', ' ')}".` : ''}`);
        else for (const line of table([['ID', 'TASK', 'RUN', 'STATUS', 'STARTED', 'DURATION', 'APPROVAL', 'OUTPUTS'], ...rows], out.columns, { drop: narrowDrops(filter.runId !== undefined), whole: [0, 2, 4] })) out.line(line);
        if (page.next_cursor !== null) out.note(`More: choiros runs --cursor ${page.next_cursor}${args.limit === undefined ? '' : ` --limit ${limit}`}`);
        // These rows are tasks: the run ids other commands take are listed one per run.
        if (filter.runId === undefined) out.note('The runs, one row each: choiros runs --by-run');
      }
    } finally {
      ledger.close();
    }
    return 0;
  },
});
