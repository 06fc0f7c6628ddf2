// Helpers shared by the benchmark scripts: timing, medians, tables, and the BENCH line that
// bench/run-all.mjs collects.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of one run of a command, in ms; throws when it fails. */
export function timeIt(file, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  return ms;
}

/** Sleeps synchronously, so background work of the previous run does not bleed into the next. */
export function settle(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/**
 * Prints each ratio against its target (lower is better) and the final
 * `BENCH {"name", "results": [{label, ratio, target, pass}], ...extra}` line.
 */
export function report(name, results, extra = {}) {
  const withPass = results.map((r) => ({ ...r, ratio: Number(r.ratio.toFixed(3)), pass: r.ratio <= r.target }));
  console.log('');
  printTable(['ratio', 'measured', 'target', ''], withPass.map((r) => [r.label, r.ratio.toFixed(2), `≤ ${r.target}`, r.pass ? 'PASS' : 'FAIL']));
  console.log(`BENCH ${JSON.stringify({ name, results: withPass, ...extra })}`);
}

/** Ends a private tmux server the bench started, and removes the socket file tmux leaves behind. */
export function killTmux(socket) {
  spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  rmSync(join(process.env.TMUX_TMPDIR || tmpdir(), `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
}
