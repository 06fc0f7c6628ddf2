#!/usr/bin/env node
// A page of `choiros runs` over 1,000,000 tasks: the ledger's keyset query, measured in-process
// for each kind of filter and deep in the pages, next to a plain indexed SELECT of a page; and
// the command's wall time (node start-up included) next to `node -e 0`.
//   node bench/runs.mjs [--tasks 1000000] [--runs 30]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, report, timeIt } from './lib.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const count = arg('--tasks', 1_000_000);
const runs = arg('--runs', 30);
const choiros = fileURLToPath(new URL('../bin/choiros.js', import.meta.url));
const { Ledger } = await import('../dist/ledger/ledger.js');

const dir = mkdtempSync(join(tmpdir(), 'choiros-bench-runs-'));
const env = { ...process.env, CHOIROS_HOME: join(dir, 'home'), NO_COLOR: '1' };
mkdirSync(join(dir, '.choiros'));
writeFileSync(join(dir, 'choiros.yaml'), 'session: bench\n');
const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'skipped', 'awaiting_approval'];

try {
  const started = performance.now();
  const ledger = Ledger.open(join(dir, '.choiros', 'ledger.db'));
  const insert = ledger.db.prepare('INSERT INTO tasks (task, run_id, status, started_at, finished_at, duration_ms, inputs, log_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const t0 = Date.parse('2025-01-01T00:00:00.000Z');
  ledger.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = new Date(t0 + Math.floor(i / 2) * 30_000).toISOString(); // pairs share a start time
      insert.run(`task.${i % 12}`, `run-${Math.floor(i / 40)}`, statuses[i % statuses.length], at, at, 1000 + (i % 5000), '{"flags":["--strict"]}', 'ok');
    }
  });
  ledger.db.pragma('optimize');
  console.log(`generated ${count.toLocaleString('en-US')} tasks in ${((performance.now() - started) / 1000).toFixed(1)}s`);

  const middle = new Date(t0 + Math.floor(count / 4) * 30_000).toISOString();
  const midRow = ledger.db.prepare('SELECT started_at, id FROM tasks WHERE started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1').get(middle);
  const midCursor = Buffer.from(JSON.stringify([midRow.started_at, midRow.id])).toString('base64url');
  const since = new Date(t0 + Math.floor(count / 2 - 10_000) * 30_000).toISOString();

  const cases = [
    ['first page', {}, undefined],
    ['first page, --status failed', { status: 'failed' }, undefined],
    ['first page, --task task.7', { task: 'task.7' }, undefined],
    ['first page, --status failed --task task.3', { status: 'failed', task: 'task.3' }, undefined],
    ['--status failed --task task.0 (matches nothing)', { status: 'failed', task: 'task.0' }, undefined],
    ['first page, --since (recent)', { since }, undefined],
    ['--status skipped --since (recent)', { status: 'skipped', since }, undefined],
    ['--task task.5 --since (recent) --status failed (matches nothing)', { task: 'task.5', since, status: 'failed' }, undefined],
    ['first page, --run', { runId: `run-${Math.floor(count / 80)}` }, undefined],
    ['half-way down, cursor', {}, midCursor],
    ['half-way down, cursor, --status awaiting_approval', { status: 'awaiting_approval' }, midCursor],
  ];
  const time = (fn) => {
    const xs = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      fn();
      xs.push(performance.now() - s);
    }
    return median(xs);
  };
  const baseline = time(() => ledger.db.prepare('SELECT * FROM tasks ORDER BY started_at DESC, id DESC LIMIT ?').all(51));
  const measured = cases.map(([label, filter, cursor]) => {
    const page = ledger.pageTasks(filter, 50, cursor);
    if (page.items.length === 0 && !label.includes('matches nothing')) throw new Error(`${label}: an empty page would measure nothing`);
    return [label, time(() => ledger.pageTasks(filter, 50, cursor))];
  });
  ledger.close();

  const wall = median(Array.from({ length: 10 }, () => timeIt(process.execPath, [choiros, 'runs', '--json', '--limit', '50'], { cwd: dir, env })));
  const node = median(Array.from({ length: 10 }, () => timeIt(process.execPath, ['-e', '0'], { env })));
  printTable(['query (limit 50)', 'median ms'], [['plain indexed SELECT of a page (baseline)', baseline.toFixed(3)], ...measured.map(([l, ms]) => [l, ms.toFixed(3)])]);
  console.log('');
  printTable(['command', 'median ms'], [['node -e 0', node.toFixed(1)], ['choiros runs --json --limit 50', wall.toFixed(1)]]);
  const worst = Math.max(...measured.map(([, ms]) => ms));
  report('runs', [{ label: 'slowest page query ms ÷ 20 ms', ratio: worst / 20, target: 1 }], {
    tasks: count,
    baseline_ms: baseline,
    queries_ms: Object.fromEntries(measured),
    command_wall_ms: wall,
    node_start_ms: node,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
