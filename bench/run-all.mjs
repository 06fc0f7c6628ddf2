#!/usr/bin/env node
// Runs every benchmark in bench/ (after a build) and prints one table of measured ratios against
// their targets, from the BENCH lines each script ends with.
//   npm run bench            (all)     node bench/run-all.mjs start status   (some)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printTable } from './lib.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs' && f !== 'lib.mjs')
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.mjs$/, '')));

/**
 * A BENCH line's ratios: `results` as lib.mjs' report() writes them, or else `ratios` (label →
 * ratio) against one `target`.
 */
function resultsOf(bench) {
  if (Array.isArray(bench.results)) return bench.results;
  if (bench.ratios === undefined || typeof bench.target !== 'number') return [];
  return Object.entries(bench.ratios).map(([label, ratio]) => ({ label, ratio, target: bench.target, pass: ratio <= bench.target }));
}

const rows = [];
let failed = false;
for (const script of scripts) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(process.execPath, [`${dir}/${script}`], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(result.stdout);
  const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (result.status !== 0 || line === undefined) {
    rows.push([script, '(failed to run)', '', 'ERROR']);
    failed = true;
    continue;
  }
  const bench = JSON.parse(line.slice('BENCH '.length));
  const results = resultsOf(bench);
  if (results.length === 0) rows.push([`${bench.name ?? script}`, '-', '', 'SKIP (nothing to compare with: see its output)']);
  for (const r of results) {
    rows.push([r.label.startsWith(`${bench.name}:`) ? r.label : `${bench.name}: ${r.label}`, r.ratio.toFixed(2), `≤ ${r.target}`, r.pass ? 'PASS' : 'FAIL']);
    failed ||= !r.pass;
  }
}
console.log('\n=== summary');
printTable(['benchmark', 'measured', 'target', ''], rows);
process.exitCode = failed ? 1 : 0;
