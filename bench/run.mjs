#!/usr/bin/env node
// `prose run` speed (after `npm run build`):
//  1. 1,000 sequential `exec "true"` steps through the built CLI — ledger writes and log files
//     included — against a plain Node loop spawning `true` 1,000 times with execa (each a fresh
//     node process, timed the same way). Target: ≤ 1.5×.
//  2. Interpreter overhead per statement with no process: a loop of assignments, conditions and
//     interpolations run in-process with fake ports. Target: under 50 µs.
// Both with and without NODE_EXTRA_CA_CERTS when this machine sets it (~50 ms per node start).
//   node bench/run.mjs [--runs 3] [--steps 1000]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printTable, report, settle, timeIt } from './lib.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const runs = arg('--runs', 3);
const steps = arg('--steps', 1000);
const repo = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'choiros-bench-run-'));
mkdirSync(join(dir, '.git'));
writeFileSync(join(dir, 'steps.prose'), `repeat ${steps}:\n  exec "true"\n`);
writeFileSync(
  join(dir, 'execa-loop.mjs'),
  `import { execa } from ${JSON.stringify(join(repo, 'node_modules/execa/index.js'))};\nfor (let i = 0; i < ${steps}; i++) await execa('true');\n`,
);

const withCa = { ...process.env, CHOIROS_HOME: join(dir, 'home') };
const withoutCa = { ...withCa };
delete withoutCa.NODE_EXTRA_CA_CERTS;
const variants = process.env.NODE_EXTRA_CA_CERTS ? [['', withCa], [' (without NODE_EXTRA_CA_CERTS)', withoutCa]] : [['', withCa]];

const contenders = variants.flatMap(([suffix, env]) => [
  { name: `execa loop${suffix}`, run: () => timeIt(process.execPath, [join(dir, 'execa-loop.mjs')], { cwd: dir, env }) },
  {
    name: `prose run${suffix}`,
    run: () => {
      rmSync(join(dir, '.choiros'), { recursive: true, force: true });
      return timeIt(process.execPath, [join(repo, 'bin/prose.js'), 'run', 'steps.prose', '--json'], { cwd: dir, env });
    },
  },
]);

const loadBefore = loadavg()[0];
const samples = new Map(contenders.map((c) => [c.name, []]));
for (let i = 0; i < runs; i++) {
  for (const c of contenders) {
    samples.get(c.name).push(c.run());
    settle(300);
  }
}

const { Ledger } = await import(join(repo, 'dist/ledger/ledger.js'));
const ledger = Ledger.open(join(dir, '.choiros/ledger.db'), { readonly: true });
const tasks = ledger.db.prepare("SELECT count(*) AS n FROM tasks WHERE status = 'succeeded'").get().n;
ledger.close();
if (tasks !== steps) throw new Error(`the last run recorded ${tasks} succeeded tasks, not ${steps}`);

const medians = Object.fromEntries([...samples].map(([name, xs]) => [name, median(xs)]));
printTable(
  ['command', `median ms (${steps} steps)`, 'ms per step'],
  contenders.map((c) => [c.name, medians[c.name].toFixed(0), (medians[c.name] / steps).toFixed(2)]),
);

// Interpreter overhead: no process, fake ports, the real interpreter.
const { parseProgram } = await import(join(repo, 'dist/prose/index.js'));
const { makeUnit, runProgram, MemoryJournal, DefaultOracle } = await import(join(repo, 'dist/runtime/index.js'));
const { ScriptedAgent } = await import(join(repo, 'dist/agents/scripted.js'));
const iterations = 20_000;
const text = `let x = 0\nlet note = ""\nrepeat ${iterations} as i:\n  x = x + i\n  if x > 10 and i != 3:\n    note = "n={x} at {i}"\n`;
const statements = iterations * 3;
const unit = makeUnit('overhead.prose', parseProgram(text, 'overhead.prose'));
const never = () => {
  throw new Error('no effect expected');
};
const ports = {
  agents: new ScriptedAgent(),
  oracle: new DefaultOracle(),
  inputs: { ask: async () => undefined },
  clock: { now: () => performance.now(), sleep: async () => {} },
  journal: new MemoryJournal(),
  exec: { run: never },
  verify: { run: never },
  checkpoints: { create: never, rollback: never },
  gates: { ask: never },
  memory: { load: never, reset: never, remember: never },
};
const perStatement = [];
for (let i = 0; i < 7; i++) {
  const started = performance.now();
  const outcome = await runProgram({ unit, inputs: new Map(), ports, signal: new AbortController().signal });
  if (outcome.status !== 'succeeded') throw new Error(`overhead program ${outcome.status}: ${outcome.error?.message}`);
  perStatement.push(((performance.now() - started) * 1000) / statements);
}
const microseconds = median(perStatement.slice(2));
console.log(`\ninterpreter: ${microseconds.toFixed(2)} µs per statement (${statements} statements, median of 5 after 2 warm-ups)`);
rmSync(dir, { recursive: true, force: true });
const load = [loadBefore, loadavg()[0]].map((l) => Number(l.toFixed(2)));
console.log(`load average (1 min) of this ${cpus().length}-core machine, before and after: ${load.join(', ')}`);

const results = variants.map(([suffix]) => ({ label: `prose run ÷ execa loop${suffix}`, ratio: medians[`prose run${suffix}`] / medians[`execa loop${suffix}`], target: 1.5 }));
results.push({ label: 'µs per statement ÷ 50 µs', ratio: microseconds / 50, target: 1 });
report('run', results, { runs, steps, medians_ms: medians, us_per_statement: Number(microseconds.toFixed(3)), load });
