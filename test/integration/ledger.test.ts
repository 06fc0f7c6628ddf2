import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { Ledger, LedgerError } from '../../src/ledger/ledger.js';
import { csvField, logExcerpt, tasksCsv } from '../../src/ledger/pages.js';
import { ledgerPlaySource } from '../../src/ledger/play-queries.js';
import { MIGRATIONS } from '../../src/ledger/schema.js';
import { PlayFeed } from '../../src/play/feed.js';
import Database from 'better-sqlite3';

let dir: string;
let clock: number;
const now = () => new Date(clock).toISOString();
const open = () => Ledger.open(join(dir, '.choiros', 'ledger.db'), { now });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'choiros-ledger-'));
  clock = Date.parse('2026-11-22T10:00:00.000Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Ledger runs and tasks', () => {
  it('records a run and its tasks with durations, and every change as an event', () => {
    const ledger = open();
    const run = ledger.createRun({ program: 'prose/build.prose', programHash: 'abc', args: { phase: 'setup' }, mode: 'assisted', pid: 42 });
    expect(run).toMatchObject({ program: 'prose/build.prose', status: 'running', args: { phase: 'setup' }, startedAt: '2026-11-22T10:00:00.000Z', pid: 42 });
    expect(run.id).toMatch(/^run-20261122-100000-[0-9a-f]{6}$/);

    const task = ledger.createTask({ task: 'session:builder', runId: run.id, stage: 'setup', step: 'phase:setup/0', agent: 'builder', inputs: { prompt: 'hi' } });
    expect(task).toMatchObject({ status: 'queued', attempt: 1, inputs: { prompt: 'hi' }, finishedAt: null });
    ledger.transition(task.id, 'running');
    clock += 1500;
    const done = ledger.transition(task.id, 'succeeded', { outputs: 'the answer', logExcerpt: 'ok' });
    expect(done).toMatchObject({ status: 'succeeded', finishedAt: '2026-11-22T10:00:01.500Z', durationMs: 1500, outputs: 'the answer', logExcerpt: 'ok' });

    const types = ledger.events({ runId: run.id }).map((e) => e.event.type);
    expect(types).toEqual(['run.started', 'task.created', 'task.transition', 'task.transition']);
    expect(ledger.findStep(run.id, 'phase:setup/0')?.id).toBe(task.id);
    ledger.close();
  });

  it('refuses an illegal transition, leaves the task as it was and records a deviation', () => {
    const ledger = open();
    const run = ledger.createRun({ program: 'p', programHash: 'h' });
    const task = ledger.createTask({ task: 'exec', runId: run.id, status: 'running' });
    ledger.transition(task.id, 'succeeded');
    expect(() => ledger.transition(task.id, 'running')).toThrow(LedgerError);
    expect(() => ledger.transition(task.id, 'running')).toThrow('Task 1 cannot go from succeeded to running.');
    expect(ledger.task(task.id).status).toBe('succeeded');
    const deviations = ledger.events({ runId: run.id }).filter((e) => e.event.type === 'deviation');
    expect(deviations).toHaveLength(2);
    expect(deviations[0]?.event).toMatchObject({ kind: 'InvalidTransition', detail: 'task 1 (exec): succeeded -> running' });
    ledger.close();
  });

  it('answers unknown ids with a not_found error', () => {
    const ledger = open();
    expect(() => ledger.task(99)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => ledger.run('run-x')).toThrow("There is no run 'run-x'.");
    ledger.close();
  });

  it('carries control requests between processes sharing the file', () => {
    const runner = open();
    const run = runner.createRun({ program: 'p', programHash: 'h' });
    const other = open();
    other.requestControl(run.id, 'pause', 'alice');
    expect(runner.run(run.id).control).toBe('pause');
    other.requestControl(run.id, 'resume');
    expect(runner.run(run.id).control).toBeNull();
    runner.finishRun(run.id, 'succeeded');
    expect(other.run(run.id)).toMatchObject({ status: 'succeeded', finishedAt: '2026-11-22T10:00:00.000Z' });
    runner.close();
    other.close();
  });
});

describe('upgrading a ledger', () => {
  it('gives the runs an orchestrator logged before runs were recorded for them a run row, dated and ended by their tasks', () => {
    const path = join(dir, '.choiros', 'ledger.db');
    open().close();
    // The ledger as it was before: the first two migrations, and tasks under run ids with no run row.
    rmSync(path);
    const db = new Database(path);
    for (const sql of MIGRATIONS.slice(0, 2)) db.exec(sql as string);
    db.pragma('user_version = 2');
    const task = db.prepare('INSERT INTO tasks (task, run_id, status, stage, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)');
    const event = db.prepare("INSERT INTO events (run_id, task_id, time, type, data) VALUES (?, ?, ?, 'task.created', ?)");
    const log = (name: string, run: string, status: string, stage: string | null, started: string, finished: string | null) => {
      const id = Number(task.run(name, run, status, stage, started, finished).lastInsertRowid);
      event.run(run, id, started, JSON.stringify({ taskId: id, task: name, status, stage, agent: null }));
    };
    log('lint', 'nightly-3', 'succeeded', null, '2026-11-20T01:00:00.000Z', '2026-11-20T01:05:00.000Z');
    log('e2e', 'nightly-3', 'failed', 'test', '2026-11-20T01:05:00.000Z', '2026-11-20T01:30:00.000Z');
    log('lint', 'nightly-4', 'running', null, '2026-11-21T01:00:00.000Z', null);
    db.close();

    const ledger = open();
    try {
      expect(ledger.pageRuns(10).items.map((r) => [r.id, r.program, r.origin, r.status, r.startedAt, r.finishedAt])).toEqual([
        ['nightly-4', 'external', 'external', 'running', '2026-11-21T01:00:00.000Z', null],
        ['nightly-3', 'external', 'external', 'failed', '2026-11-20T01:00:00.000Z', '2026-11-20T01:30:00.000Z'],
      ]);
      const feed = new PlayFeed(ledgerPlaySource(ledger), 'nightly-3');
      feed.refresh();
      const report = feed.report({ now: clock });
      expect(report.stages.map((st) => [st.name, st.status])).toEqual([
        ['lint', 'done'],
        ['test', 'failed'],
      ]);
      expect([report.runStatus, report.elapsedMs]).toEqual(['failed', 30 * 60_000]);
    } finally {
      ledger.close();
    }
  });
});

describe('Ledger pages', () => {
  function seed(ledger: Ledger, count: number): void {
    ledger.transaction(() => {
      for (let i = 0; i < count; i++) {
        clock += i % 3 === 0 ? 0 : 1000; // equal start times happen: the id breaks the tie
        const task = ledger.createTask({ task: i % 2 === 0 ? 'verify:unit' : 'session:builder', runId: i < count / 2 ? 'run-a' : 'run-b', status: 'running' });
        if (i % 5 === 0) ledger.transition(task.id, 'failed');
      }
    });
  }

  it('walks every task exactly once, newest first, with an opaque cursor', () => {
    const ledger = open();
    seed(ledger, 250);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ledger.pageTasks({}, 100, cursor);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    const all = ledger.pageTasks({}, 1000).items;
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      expect(a !== undefined && b !== undefined && (a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.id > b.id))).toBe(true);
    }
    ledger.close();
  });

  it('filters by status, task, run and since', () => {
    const ledger = open();
    seed(ledger, 100);
    expect(ledger.pageTasks({ status: 'failed' }, 1000).items).toHaveLength(20);
    expect(ledger.pageTasks({ task: 'verify:unit' }, 1000).items.every((t) => t.task === 'verify:unit')).toBe(true);
    expect(ledger.pageTasks({ runId: 'run-b' }, 1000).items).toHaveLength(50);
    const since = ledger.pageTasks({}, 1000).items[9]?.startedAt ?? '';
    expect(ledger.pageTasks({ since }, 1000).items.every((t) => t.startedAt >= since)).toBe(true);
    ledger.close();
  });

  it('rejects a cursor it did not make', () => {
    const ledger = open();
    expect(() => ledger.pageTasks({}, 10, 'not-a-cursor')).toThrow(UsageError);
    ledger.close();
  });

  it('pages runs newest first', () => {
    const ledger = open();
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      ledger.createRun({ id: `run-${i}`, program: 'p', programHash: 'h' });
    }
    const first = ledger.pageRuns(3);
    expect(first.items.map((r) => r.id)).toEqual(['run-4', 'run-3', 'run-2']);
    expect(ledger.pageRuns(3, first.next_cursor ?? undefined).items.map((r) => r.id)).toEqual(['run-1', 'run-0']);
    ledger.close();
  });
});

describe('CSV and excerpts', () => {
  it('writes the task fields as RFC 4180 CSV, defusing spreadsheet formulas', () => {
    const ledger = open();
    const task = ledger.createTask({ task: '=HYPERLINK("x")', runId: 'nightly-1', inputs: { flags: ['--strict'] }, status: 'running' });
    ledger.transition(task.id, 'failed', { logExcerpt: 'line one\nline "two", more' });
    const csv = tasksCsv([ledger.task(task.id)]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe('id,task,run_id,status,started_at,finished_at,duration_ms,inputs,outputs_uri,log_excerpt,approval_state,approver,webhook_notified_at');
    expect(row).toBe(`1,"'=HYPERLINK(""x"")",nightly-1,failed,2026-11-22T10:00:00.000Z,2026-11-22T10:00:00.000Z,0,"{""flags"":[""--strict""]}",,"line one\nline ""two"", more",,,`);
    expect(csvField(-5)).toBe('-5');
    ledger.close();
  });

  it('keeps the first and last lines of long output', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const excerpt = logExcerpt(text, 2, 3).split('\n');
    expect(excerpt).toEqual(['line 0', 'line 1', '… 95 lines …', 'line 97', 'line 98', 'line 99']);
  });
});

describe('approvals', () => {
  it('records an answer on a waiting gate, once, and leaves finishing it to the run', () => {
    const ledger = open();
    const run = ledger.createRun({ program: 'p', programHash: 'h' });
    const gate = ledger.createTask({ task: 'gate:deploy', runId: run.id, status: 'running' });
    ledger.transition(gate.id, 'awaiting_approval', { approvalState: 'pending' });
    expect(ledger.awaitingApproval().map((t) => t.id)).toEqual([gate.id]);
    const answered = ledger.answerApproval(gate.id, { state: 'approved', approver: 'alice', feedback: 'ship it' });
    expect(answered).toMatchObject({ status: 'awaiting_approval', approvalState: 'approved', approver: 'alice', feedback: 'ship it' });
    expect(ledger.events({ runId: run.id }).at(-1)?.event).toEqual({ type: 'task.approval', taskId: gate.id, state: 'approved', approver: 'alice', feedback: 'ship it' });
    expect(() => ledger.answerApproval(gate.id, { state: 'rejected' })).toThrow(`Task ${gate.id} was already approved by alice.`);
    const other = ledger.createTask({ task: 'exec', runId: run.id, status: 'running' });
    expect(() => ledger.answerApproval(other.id, { state: 'approved' })).toThrow(`Task ${other.id} is not waiting for approval (it is running).`);
    ledger.close();
  });
});

describe('a new ledger opened by several processes at once', () => {
  it('is created once: each process finds the tables the first one made', async () => {
    const { spawn } = await import('node:child_process');
    const path = join(dir, '.choiros', 'ledger.db');
    const script = `const { Ledger } = await import(${JSON.stringify(new URL('../../dist/ledger/ledger.js', import.meta.url).href)}); const l = Ledger.open(process.argv[1]); l.close();`;
    const codes = await Promise.all(
      Array.from({ length: 6 }, () => new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      })),
    );
    expect(codes).toEqual(Array.from({ length: 6 }, () => ({ code: 0, stderr: '' })));
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });
});
