#!/usr/bin/env node
// The live play dashboard of a 200-stage run in a 100x50 terminal: each frame is the tracker's
// report from the folded events, the frame's lines (the stage table windowed to the terminal, as
// `choiros dashboard` draws it) and an Ink render (React's production build, reconcile, layout
// and the write to a stream that discards) — against a 16 ms frame budget (60 fps). The frame
// with all 200 rows (what --plain prints, or a terminal 250 rows tall) is measured alongside.
//   node bench/dashboard.mjs [--frames 200] [--stages 200] [--rows 50]
import { Writable } from 'node:stream';
import { median, printTable, report } from './lib.mjs';

process.env.NODE_ENV ??= 'production';
const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const frames = arg('--frames', 200);
const stageCount = arg('--stages', 200);
const rows = arg('--rows', 50);

const [{ createElement }, { render }, { replay, trackPlay }, { dashboardFrame }, { PlayDashboard }] = await Promise.all([
  import('react'),
  import('ink'),
  import('../dist/play/tracker.js'),
  import('../dist/ui/play-frame.js'),
  import('../dist/ui/play-dashboard.js'),
]);

const MIN = 60_000;
const t0 = Date.parse('2026-11-22T10:00:00.000Z');
const stages = Array.from({ length: stageCount }, (_, i) => ({ name: `stage-${String(i).padStart(3, '0')}`, agents: [`agent-${i % 7}`], timeoutMs: 30 * MIN, expect: [] }));
const events = [];
const add = (minutes, event, taskId = null) => events.push({ seq: events.length + 1, runId: 'run-bench', taskId, time: new Date(t0 + minutes * MIN).toISOString(), event });
add(0, { type: 'run.started', program: 'prose/big.prose', args: {}, mode: 'autonomous' });
add(0, { type: 'play.spec', stages, repository: 'acme/app', branch: 'pr/42' });
let task = 0;
const done = Math.floor(stageCount * 0.6);
for (let i = 0; i <= done; i++) {
  const at = i * 2;
  add(at, { type: 'stage.started', stage: stages[i].name });
  add(at, { type: 'task.created', taskId: ++task, task: 'session', status: 'running', stage: stages[i].name, agent: stages[i].agents[0] }, task);
  if (i < done) {
    add(at + 2, { type: 'task.transition', taskId: task, from: 'running', to: 'succeeded', reason: null }, task);
    add(at + 2, { type: 'stage.finished', stage: stages[i].name, status: 'succeeded' });
  }
}
const history = new Map(stages.map((s, i) => [s.name, [1.5 * MIN, 2 * MIN, (2 + (i % 3)) * MIN]]));
const state = replay('run-bench', events);

const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
Object.assign(sink, { columns: 100, rows, isTTY: true });
const now0 = t0 + done * 2 * MIN + 30_000;

/** Renders `frames` frames one second apart; returns per-frame times (model alone, and whole). */
async function measure(maxRows) {
  let renders = 0;
  const frameAt = (i) => dashboardFrame(trackPlay(state, { now: now0 + i * 1000, history }), 100, maxRows);
  const app = render(createElement(PlayDashboard, { frame: frameAt(0) }), { stdout: sink, patchConsole: false, exitOnCtrlC: false, maxFps: 0, onRender: () => renders++ });
  const samples = { model: [], frame: [], cpu: [], lines: frameAt(0).length };
  for (let i = 1; i <= frames; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const lines = frameAt(i);
    const built = performance.now();
    app.rerender(createElement(PlayDashboard, { frame: lines }));
    const end = performance.now();
    samples.model.push(built - start);
    samples.frame.push(end - start);
    const used = process.cpuUsage(cpu);
    samples.cpu.push((used.user + used.system) / 1000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  app.unmount();
  if (renders < frames) throw new Error(`only ${renders} of ${frames} frames were rendered: the measurement would be hollow`);
  return samples;
}

const live = await measure(rows - 2);
const full = await measure(Infinity);
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
printTable(['per frame, 200-stage run', 'lines', 'median ms', 'p95 ms', 'CPU ms (median)'], [
  ['live view: tracker report + frame lines', live.lines, median(live.model).toFixed(2), p95(live.model).toFixed(2), ''],
  ['live view: … + Ink render and write', live.lines, median(live.frame).toFixed(2), p95(live.frame).toFixed(2), median(live.cpu).toFixed(2)],
  ['every stage: … + Ink render and write', full.lines, median(full.frame).toFixed(2), p95(full.frame).toFixed(2), median(full.cpu).toFixed(2)],
]);
report('dashboard', [{ label: `live frame ms (median, ${rows} rows) ÷ 16 ms`, ratio: median(live.frame) / 16, target: 1 }], {
  frames,
  stages: stageCount,
  terminal: `100x${rows}`,
  live_median_ms: median(live.frame),
  live_p95_ms: p95(live.frame),
  live_cpu_median_ms: median(live.cpu),
  all_rows_median_ms: median(full.frame),
});
