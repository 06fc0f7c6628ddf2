#!/usr/bin/env node
// `choiros demo` end to end, at its default pace (what a newcomer sees): the sample project, the
// session on a private tmux server, the agentic build with a rollback, the stop. Target: within
// two minutes (issue 9). Also reports the demo at no pace (50 ms per agent), which is the
// choiros overhead of the story: start, checkpoints, gates, rollback, ledger, stop.
//   npm run build && node bench/demo.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib.mjs';

const choiros = fileURLToPath(new URL('../bin/choiros.js', import.meta.url));

function demo(pace) {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-bench-demo-'));
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [choiros, 'demo', '--json', '--pace', pace, '--dir', join(dir, 'demo')], { encoding: 'utf8', cwd: dir });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const summary = JSON.parse(result.stdout || '{}');
    if (result.status !== 0 || summary.ok !== true) throw new Error(`choiros demo failed (${result.status}): ${summary.problem ?? result.stderr}`);
    return { ms, attempts: summary.attempts.length, rollbacks: summary.rollbacks.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const paced = demo('1s');
const fast = demo('50ms');
console.log(`choiros demo (default pace, 1s per agent step): ${(paced.ms / 1000).toFixed(1)} s, ${paced.attempts} verifications, ${paced.rollbacks} rollback`);
console.log(`choiros demo (--pace 50ms):                    ${(fast.ms / 1000).toFixed(1)} s`);
report('demo', [{ label: 'demo wall time ÷ 120 s', ratio: paced.ms / 120_000, target: 1 }], { paced_ms: paced.ms, fast_ms: fast.ms });
