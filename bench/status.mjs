#!/usr/bin/env node
// `choiros status --json` wall time next to the raw tmux query it makes and a bare node start,
// and the CPU `choiros status --watch` (the Ink view, in a real terminal: a tmux pane) uses
// while nothing changes: averaged over a minute after its start-up (4 s), since idle work comes
// in periods — a tmux query a second, git and the ledger every 10 s, the uptime text once a
// minute, and one garbage collection V8 runs some seconds after start-up. Each 10 s is shown.
//   node bench/status.mjs [--runs 15] [--seconds 60]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killTmux, median, printTable, report, settle, timeIt } from './lib.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const runs = arg('--runs', 15);
const seconds = arg('--seconds', 60);
const choiros = fileURLToPath(new URL('../bin/choiros.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'choiros-bench-status-'));
const socket = `choiros-bench-status-${process.pid}`;
const env = { ...process.env, CHOIROS_TMUX_SOCKET: socket, CHOIROS_HOME: join(dir, 'home') };
const noCa = { ...env };
delete noCa.NODE_EXTRA_CA_CERTS;
const names = ['editor', 'api', 'ui', 'watcher', 'e2e', 'logs'];
writeFileSync(join(dir, 'choiros.yaml'), `session: bench\nwindows:\n${names.map((n) => `  - name: ${n}\n    command: sleep 600\n`).join('')}`);

try {
  timeIt(process.execPath, [choiros, 'start', '--wait'], { cwd: dir, env });
  const contenders = [
    ['node -e 0', () => timeIt(process.execPath, ['-e', '0'], { env })],
    ['tmux list-panes -a (the one query)', () => timeIt('tmux', ['-L', socket, 'list-panes', '-a'], { env })],
    ['choiros status --json', () => timeIt(process.execPath, [choiros, 'status', '--json'], { cwd: dir, env })],
  ];
  if (process.env.NODE_EXTRA_CA_CERTS) contenders.push(['choiros status --json (without NODE_EXTRA_CA_CERTS)', () => timeIt(process.execPath, [choiros, 'status', '--json'], { cwd: dir, env: noCa })]);
  const samples = new Map(contenders.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, run] of contenders) samples.get(name).push(run());
  const medians = Object.fromEntries([...samples].map(([name, xs]) => [name, median(xs)]));
  printTable(['command', 'median ms'], Object.entries(medians).map(([n, ms]) => [n, ms.toFixed(1)]));

  // The live view in a real terminal: a pane of the same private server, 120x40.
  const tmux = (...args) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env });
  tmux('new-session', '-d', '-s', 'watcher', '-x', '120', '-y', '40', '-c', dir, '--', process.execPath, choiros, 'status', '--watch');
  settle(4000);
  const pid = Number(tmux('list-panes', '-t', '=watcher:', '-F', '#{pane_pid}').stdout.trim());
  const screen = tmux('capture-pane', '-p', '-t', '=watcher:').stdout;
  if (!screen.includes('Refreshing every')) throw new Error(`status --watch is not showing its view:\n${screen}`);
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime, stime, cutime, cstime: the node process and the tmux clients it ran and reaped.
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  };
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
  const before = ticks();
  const slices = [];
  for (let done = 0; done < seconds; done += 10) {
    const at = ticks();
    const span = Math.min(10, seconds - done);
    settle(span * 1000);
    slices.push(`${(((ticks() - at) / hz / span) * 100).toFixed(1)}%`);
  }
  const cpuPercent = ((ticks() - before) / hz / seconds) * 100;
  console.log(`\nstatus --watch: ${cpuPercent.toFixed(2)}% of one core over ${seconds}s (one tmux query per second); each 10 s: ${slices.join(' ')}`);

  report(
    'status',
    [
      { label: 'status --json ms ÷ 150 ms', ratio: medians['choiros status --json'] / 150, target: 1 },
      { label: 'status --watch CPU % ÷ 1 %', ratio: cpuPercent / 1, target: 1 },
    ],
    { runs, medians_ms: medians, watch_cpu_percent: cpuPercent },
  );
} finally {
  killTmux(socket);
  rmSync(dir, { recursive: true, force: true });
}
