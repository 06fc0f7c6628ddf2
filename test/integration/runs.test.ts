import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choiros } from '../../src/cli/choiros.js';
import { runProgram } from '../../src/cli/runner.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { CSV_COLUMNS } from '../../src/ledger/pages.js';
import { captureIo } from '../helpers/io.js';
import { makeProject, parseJson, type TestProject } from '../helpers/project.js';

const COUNT = 100_000;
const STATUSES = ['succeeded', 'failed', 'awaiting_approval', 'skipped'] as const;
let project: TestProject;

/** 100,000 tasks in one transaction; every third shares its start time with the one before. */
function generate(root: string): void {
  const ledger = Ledger.open(join(root, '.choiros', 'ledger.db'));
  const insert = ledger.db.prepare('INSERT INTO tasks (task, run_id, status, started_at, duration_ms, log_excerpt, outputs_uri) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  ledger.transaction(() => {
    let clock = start;
    for (let i = 0; i < COUNT; i++) {
      if (i % 3 !== 0) clock += 1000;
      insert.run(`task.${i % 7}`, `run-${Math.floor(i / 100)}`, STATUSES[i % 4], new Date(clock).toISOString(), i, i === 5 ? '=HYPERLINK("x")' : 'ok', null);
    }
  });
  ledger.close();
}

interface PageJson {
  items: { id: number; task: string; status: string; started_at: string }[];
  next_cursor: string | null;
}

async function page(args: string[]): Promise<PageJson> {
  const captured = captureIo({ cwd: project.root, env: { ...project.env } });
  const code = await runProgram(choiros, ['runs', '--json', ...args], captured.io);
  if (code !== 0) throw new Error(captured.stderr());
  return JSON.parse(captured.stdout()) as PageJson;
}

beforeAll(() => {
  project = makeProject();
  generate(project.root);
});
afterAll(() => project.cleanup());

describe('choiros runs over 100,000 tasks', () => {
  it('walks every task exactly once, newest first, through opaque cursors', async () => {
    const seen: number[] = [];
    let last: { started_at: string; id: number } | undefined;
    let cursor: string | null = null;
    do {
      const result: PageJson = await page(['--limit', '1000', ...(cursor === null ? [] : ['--cursor', cursor])]);
      for (const item of result.items) {
        if (last !== undefined) expect(item.started_at < last.started_at || (item.started_at === last.started_at && item.id < last.id)).toBe(true);
        last = item;
        seen.push(item.id);
      }
      cursor = result.next_cursor;
    } while (cursor !== null);
    expect(seen.length).toBe(COUNT);
    expect(new Set(seen).size).toBe(COUNT);
  });

  it('filters by status, task and since together, and pages the filtered set', async () => {
    const first = await page(['--status', 'failed', '--task', 'task.3', '--since', '2026-01-01T12:00:00Z', '--limit', '500']);
    expect(first.items).toHaveLength(500);
    expect(first.items.every((t) => t.status === 'failed' && t.task === 'task.3' && t.started_at >= '2026-01-01T12:00:00.000Z')).toBe(true);
    const second = await page(['--status', 'failed', '--task', 'task.3', '--since', '2026-01-01T12:00:00Z', '--limit', '500', '--cursor', first.next_cursor ?? '']);
    expect(second.items[0]?.id).toBeLessThan(first.items.at(-1)?.id ?? 0);
  });

  it('prints {items, next_cursor} from the built command, and refuses a cursor it did not make', async () => {
    const json = parseJson<PageJson>(await project.choiros(['runs', '--json', '--limit', '2']));
    expect(json.items.map((t) => t.id)).toEqual([COUNT, COUNT - 1]);
    expect(Object.keys(json.items[0] ?? {})).toEqual(expect.arrayContaining(['id', 'task', 'run_id', 'status', 'started_at', 'finished_at', 'duration_ms', 'inputs', 'outputs_uri', 'log_excerpt', 'approval_state', 'approver', 'webhook_notified_at']));
    expect(typeof json.next_cursor).toBe('string');
    const bad = await project.choiros(['runs', '--cursor', 'not-a-cursor']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('Invalid cursor');
  });

  it('exports CSV with the task fields as columns, at most 10,000 rows, formulas defused', async () => {
    const result = await project.choiros(['runs', '--csv', '--since', '2025-01-01']);
    const lines = result.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(10_001);
    expect(result.stderr).toMatch(/Stopped at 10,000 rows; continue with --cursor \S+/);
    const oldest = await project.choiros(['runs', '--csv', '--task', 'task.5', '--status', 'failed', '--limit', '10000']);
    expect(oldest.stdout).toContain('\r\n6,task.5,run-0,failed,2026-01-01T00:00:04.000Z,,5,,,');
    expect(oldest.stdout).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('shows a table on a terminal-less stdout with the way to the next page', async () => {
    const result = await project.choiros(['runs', '--limit', '3', '--status', 'skipped'], { env: { COLUMNS: '200' } });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TASK\s+RUN\s+STATUS\s+STARTED\s+DURATION\s+APPROVAL\s+OUTPUTS$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^100000\s+task\.4\s+run-999\s+skipped\s+(?:2026-)?01-01 \d\d:\d\d/);
    expect(result.stderr).toMatch(/More: choiros runs --cursor \S+ --limit 3/);
  });
});

describe('choiros runs in a project that never ran', () => {
  let empty: TestProject;
  beforeAll(() => {
    empty = makeProject();
  });
  afterAll(async () => {
    await empty.cleanup();
  });

  it('lists nothing, exit 0, as table, JSON and CSV, and creates no ledger', async () => {
    expect(await empty.choiros(['runs'])).toMatchObject({ exitCode: 0, stdout: 'No runs recorded here yet: `prose run` records them in .choiros/ledger.db.\n' });
    expect(parseJson(await empty.choiros(['runs', '--json']))).toEqual({ items: [], next_cursor: null });
    expect((await empty.choiros(['runs', '--csv'])).stdout).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(existsSync(join(empty.root, '.choiros', 'ledger.db'))).toBe(false);
  });
});
