#!/usr/bin/env node
// Checkpoint and rollback speed against the raw git plumbing they wrap, side by side in one run.
//
//   npm run build && node bench/checkpoint.mjs [--runs N] [--files N] [--changes N]
//
// Generates a repository with 20,000 tracked files and 1,000 changed or untracked ones, then
// measures (medians over --runs, alternating choiros and baselines so all see the same caches
// and the same load). The baselines, as a shell would run them:
//   checkpoint  raw: copy .git/index to a temp index (a stat cache), add -A, write-tree,
//               commit-tree, tag — the sequence DESIGN.md describes, with the stat cache;
//               info: the same sequence keeping its temp index from one run to the next (what
//               choiros does with .git/choiros/index), and DESIGN's literal sequence
//               (read-tree HEAD into an empty index: every file hashed again).
//   rollback    bare: a lone `read-tree -m -u current target` in a temp index prepared untimed —
//               the move and nothing else: no undo handle, no preview, no check;
//               info: the raw safe sequence (snapshot the current state as an undo handle:
//               copy the index, add -A, write-tree, commit-tree, update-ref; then read-tree),
//               and the least a shell needs to move a dirty work tree at all (copy the index,
//               add -A, read-tree -m -u target: read-tree refuses files its index does not
//               match), with no undo handle.
//   floors      (info) the least any implementation could cost: for a checkpoint, node's bare
//               start-up (without the certificates, which the launcher hides) plus the
//               kept-index sequence; for a rollback, an undo snapshot in a
//               private index that already holds every stat, plus the move — raw git, no node.
// choiros adds to the raw sequences: node's start-up (the CLI), the untracked listing that
// enforces the size cap and folder rules, the ref listing (names, retention), and for a
// rollback the preview (diff-tree) and the re-check that nothing changed since the snapshot
// (diff-files and the untracked listing again), under a lock.
// The CLI is run as users run it — bin/choiros.js executed, through its sh launcher — with
// NODE_EXTRA_CA_CERTS as this machine sets it and without it (node 20 parses the certificates
// before any JavaScript runs, ~50 ms; the launcher hides them from node's start-up, see
// src/net/extra-ca.ts), and the library in-process, without node start-up at all.
// The last line is `BENCH {json}` for scripts.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = option('runs', 7);
const FILES = option('files', 20_000);
const CHANGES = option('changes', 1_000);
const TARGET = 1.3;

const BIN = fileURLToPath(new URL('../bin/choiros.js', import.meta.url));
const LIB = new URL('../dist/git/index.js', import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'choiros-bench-'));
const repo = join(work, 'repo');
const home = join(work, 'home');
const IDENTITY = ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', '-c', 'init.defaultBranch=main'];
const git = (...a) => execFileSync('git', [...IDENTITY, ...a], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();

function generate() {
  mkdirSync(repo, { recursive: true });
  git('init', '-q');
  const perDir = 100;
  for (let d = 0; d < FILES / perDir; d++) {
    mkdirSync(join(repo, 'src', `d${d}`), { recursive: true });
    for (let f = 0; f < perDir; f++) writeFileSync(join(repo, 'src', `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`.repeat(20));
  }
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  git('add', '-A');
  // Packed now, as a real repository's objects are, and never again behind the measurements'
  // backs: the commit of 20,000 loose objects would otherwise start `gc --auto` in the
  // background, packing them while the first runs are timed.
  git('config', 'gc.auto', '0');
  git('commit', '-q', '-m', 'generated');
  git('gc', '-q');
  const dirs = FILES / perDir;
  for (let i = 0; i < CHANGES / 2; i++) appendFileSync(join(repo, 'src', `d${i % dirs}`, `f${Math.floor(i / dirs) * 7 + 1}.txt`), 'changed\n');
  mkdirSync(join(repo, 'new'), { recursive: true });
  for (let i = 0; i < CHANGES / 2; i++) writeFileSync(join(repo, i % 2 === 0 ? 'new' : join('src', `d${i % dirs}`), `untracked-${i}.txt`), `new ${i}\n`);
}

const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timed(fn) {
  const started = now();
  fn();
  return now() - started;
}

function sh(script, extraEnv = {}) {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: repo, env: { ...process.env, ...extraEnv }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`baseline failed: ${result.stderr}`);
  return result.stdout;
}

const cliEnv = (withCerts) => {
  // The launcher execs the `node` on PATH: this one, as for everything else measured here.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, CHOIROS_HOME: home, CHOIROS_TMUX_SOCKET: `choiros-bench-${process.pid}`, NO_COLOR: '1' };
  if (!withCerts) delete env.NODE_EXTRA_CA_CERTS;
  return env;
};

function cli(withCerts, ...cmd) {
  const result = spawnSync(BIN, cmd, { cwd: repo, env: cliEnv(withCerts), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`choiros ${cmd.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

let tagCounter = 0;
const RAW_CHECKPOINT = (tag) => `
scratch=$(mktemp -d); export GIT_INDEX_FILE=$scratch/index
cp .git/index "$GIT_INDEX_FILE"
git add -A
tree=$(git write-tree)
commit=$(echo raw | git commit-tree -p HEAD "$tree")
git -c user.name=b -c user.email=b@b tag -a -m raw ${tag} "$commit"
rm -rf "$scratch"`;
const KEPT_CHECKPOINT = (tag, kept) => `
export GIT_INDEX_FILE=${kept}
[ -f "$GIT_INDEX_FILE" ] || cp .git/index "$GIT_INDEX_FILE"
git add -A
tree=$(git write-tree)
commit=$(echo raw | git commit-tree -p HEAD "$tree")
git -c user.name=b -c user.email=b@b tag -a -m raw ${tag} "$commit"`;
const LITERAL_CHECKPOINT = (tag) => `
scratch=$(mktemp -d); export GIT_INDEX_FILE=$scratch/index
git read-tree HEAD
git add -A
tree=$(git write-tree)
commit=$(echo raw | git commit-tree -p HEAD "$tree")
git -c user.name=b -c user.email=b@b tag -a -m raw ${tag} "$commit"
rm -rf "$scratch"`;

async function benchCheckpoint(lib) {
  const samples = { cli: [], cliNoCerts: [], lib: [], raw: [], kept: [], literal: [], boot: [] };
  const store = new lib.Checkpoints(repo, lib.DEFAULT_SETTINGS);
  const kept = join(work, 'kept-index');
  // Warm-up: every blob of the dirty state is written once, by whoever comes first.
  cli(true, 'checkpoint');
  sh(RAW_CHECKPOINT(`raw-warm`));
  sh(KEPT_CHECKPOINT(`kept-warm`, kept));
  for (let i = 0; i < RUNS; i++) {
    samples.raw.push(timed(() => sh(RAW_CHECKPOINT(`raw-${tagCounter++}`))));
    samples.cli.push(timed(() => cli(true, 'checkpoint')));
    samples.cliNoCerts.push(timed(() => cli(false, 'checkpoint')));
    const started = now();
    await store.create();
    samples.lib.push(now() - started);
    samples.kept.push(timed(() => sh(KEPT_CHECKPOINT(`kept-${tagCounter++}`, kept))));
    samples.literal.push(timed(() => sh(LITERAL_CHECKPOINT(`literal-${tagCounter++}`))));
    samples.boot.push(timed(() => spawnSync(process.execPath, ['-e', '0'], { env: cliEnv(false) })));
  }
  return samples;
}

async function benchRollback(lib) {
  const samples = { cli: [], cliNoCerts: [], lib: [], bare: [], raw: [], minimal: [], floor: [] };
  const store = new lib.Checkpoints(repo, lib.DEFAULT_SETTINGS);
  // The target: the committed state (1,000 paths away: 500 rewritten, 500 deleted).
  const target = 'HEAD';
  const treeT = git('rev-parse', 'HEAD^{tree}');
  // The dirty state as a tree, in a scratch index with fresh stats: what the bare move starts from.
  // Prepared (untimed) before every bare run, since the runs in between rewrite the files.
  const scratch = join(work, 'scratch-index');
  const prepare = () => {
    copyFileSync(join(repo, '.git/index'), scratch);
    execFileSync('git', ['add', '-A'], { cwd: repo, env: { ...process.env, GIT_INDEX_FILE: scratch } });
    return execFileSync('git', ['write-tree'], { cwd: repo, env: { ...process.env, GIT_INDEX_FILE: scratch }, encoding: 'utf8' }).trim();
  };
  const treeA = prepare();
  const move = (from, to) => sh(`git read-tree -m -u ${from} ${to}`, { GIT_INDEX_FILE: scratch });
  const RAW_ROLLBACK = (n) => `
scratch=$(mktemp -d); export GIT_INDEX_FILE=$scratch/index
cp .git/index "$GIT_INDEX_FILE"
git add -A
tree=$(git write-tree)
commit=$(echo before | git commit-tree -p HEAD "$tree")
git update-ref refs/bench/undo/${n} "$commit"
git read-tree -m -u "$tree" ${treeT}
rm -rf "$scratch"`;
  const MINIMAL_ROLLBACK = `
scratch=$(mktemp -d); export GIT_INDEX_FILE=$scratch/index
cp .git/index "$GIT_INDEX_FILE"
git add -A
git read-tree -m -u ${treeT}
rm -rf "$scratch"`;
  // The floor: what any rollback that can be undone must do, in raw git at its most favourable —
  // a private index already holding every file's current stat (prepared untimed, a second after
  // the files were written, so that git trusts every stat), one add -A to confirm the state and
  // take the untracked files, the undo handle (tree, commit, ref), then the move. No node, no
  // preview, no re-check.
  const floorIndex = join(work, 'floor-index');
  const prepareFloor = () => {
    spawnSync('sleep', ['1.1']);
    copyFileSync(join(repo, '.git/index'), floorIndex);
    execFileSync('git', ['add', '-A'], { cwd: repo, env: { ...process.env, GIT_INDEX_FILE: floorIndex } });
  };
  const FLOOR_ROLLBACK = (n) => `
export GIT_INDEX_FILE=${floorIndex}
git add -A
tree=$(git write-tree)
commit=$(echo before | git commit-tree -p HEAD "$tree")
git update-ref refs/bench/floor/${n} "$commit"
git read-tree -m -u "$tree" ${treeT}`;
  const restoreA = () => sh(`scratch=$(mktemp -d); export GIT_INDEX_FILE=$scratch/index; git read-tree ${treeT}; git update-index -q --refresh >/dev/null || true; git read-tree -m -u ${treeT} ${treeA}; rm -rf "$scratch"`);

  for (let i = 0; i < RUNS; i++) {
    prepare();
    samples.bare.push(timed(() => move(treeA, treeT)));
    move(treeT, treeA);
    samples.raw.push(timed(() => sh(RAW_ROLLBACK(i))));
    restoreA();
    samples.minimal.push(timed(() => sh(MINIMAL_ROLLBACK)));
    restoreA();
    prepareFloor();
    samples.floor.push(timed(() => sh(FLOOR_ROLLBACK(i))));
    restoreA();
    samples.cli.push(timed(() => cli(true, 'rollback', target, '--yes')));
    cli(true, 'rollback', '--undo', '--yes');
    samples.cliNoCerts.push(timed(() => cli(false, 'rollback', target, '--yes')));
    cli(false, 'rollback', '--undo', '--yes');
    const started = now();
    await store.rollback({ target });
    samples.lib.push(now() - started);
    await store.undo();
  }
  return samples;
}

function row(label, measured, baseline, judged) {
  const ratio = measured / baseline;
  return { label, measured, baseline, ratio, judged, pass: ratio <= TARGET };
}

function print(rows) {
  const head = ['', 'measured', 'baseline', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [r.label, `${r.measured.toFixed(0)} ms`, `${r.baseline.toFixed(0)} ms`, `${r.ratio.toFixed(2)}x`, r.judged ? `<= ${TARGET}x` : 'info', r.judged ? (r.pass ? 'PASS' : 'FAIL') : '']);
  const widths = head.map((_, i) => Math.max(head[i].length, ...body.map((b) => b[i].length)));
  for (const line of [head, ...body]) console.log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

async function main() {
  console.log(`Generating ${FILES} tracked files and ${CHANGES} changed or untracked ones in ${repo} …`);
  generate();
  const lib = await import(LIB.href);
  const loadBefore = loadavg()[0];
  console.log(`Measuring (${RUNS} runs each, medians; node ${process.version}, git ${git('--version').replace('git version ', '')}; NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}; load ${loadBefore.toFixed(2)}) …\n`);
  const cp = await benchCheckpoint(lib);
  const rb = await benchRollback(lib);
  const m = (xs) => median(xs);
  const rows = [
    row('checkpoint: choiros CLI vs raw sequence', m(cp.cli), m(cp.raw), true),
    row('checkpoint: CLI without NODE_EXTRA_CA_CERTS', m(cp.cliNoCerts), m(cp.raw), true),
    row('checkpoint: library in-process', m(cp.lib), m(cp.raw), true),
    row('checkpoint: library vs raw keeping its temp index', m(cp.lib), m(cp.kept), false),
    row('checkpoint: CLI vs DESIGN literal (read-tree HEAD)', m(cp.cli), m(cp.literal), false),
    row('checkpoint floor: node start-up + kept-index raw', m(cp.boot) + m(cp.kept), m(cp.raw), false),
    row('rollback: choiros CLI vs bare read-tree -m -u', m(rb.cli), m(rb.bare), true),
    row('rollback: CLI without NODE_EXTRA_CA_CERTS', m(rb.cliNoCerts), m(rb.bare), true),
    row('rollback: library in-process vs bare read-tree', m(rb.lib), m(rb.bare), true),
    row('rollback: CLI vs raw snapshot + handle + read-tree', m(rb.cli), m(rb.raw), false),
    row('rollback: library vs raw snapshot + handle + read-tree', m(rb.lib), m(rb.raw), false),
    row('rollback: CLI vs minimal raw (copy, add -A, read-tree)', m(rb.cli), m(rb.minimal), false),
    row('rollback: library vs minimal raw (no undo handle)', m(rb.lib), m(rb.minimal), false),
    row('rollback floor: raw undo snapshot + move vs bare', m(rb.floor), m(rb.bare), false),
  ];
  print(rows);
  console.log(`
What the baselines do, and what choiros adds:
  raw (checkpoint)  copy .git/index to a temp index, add -A, write-tree, commit-tree, tag.
  kept (info)       the same, keeping the temp index from run to run, as choiros keeps
                    .git/choiros/index: what remains is choiros' own cost (node, the untracked
                    listing for the size cap and folder rules, the ref listing).
  bare (rollback)   read-tree -m -u from the current state to the target, in a temp index
                    prepared untimed: the move alone.
  raw (rollback)    the safe sequence: snapshot the current state (copy the index, add -A,
                    write-tree, commit-tree, update-ref: the undo handle), then read-tree -m -u.
  minimal (info)    copy the index, add -A, read-tree -m -u: the least that moves a dirty work
                    tree at all (bare read-tree needs an index matching it), with no undo handle.
  floor (info)      checkpoint: node's start-up (node -e 0, certificates hidden as the launcher
                    hides them) plus the kept-index sequence — the
                    least a checkpoint command written in node can cost. rollback: the undo
                    snapshot in a private index that already holds every stat (add -A,
                    write-tree, commit-tree, update-ref) plus the move, in raw git: the least any
                    rollback that can be undone costs. Above 1.3x the bare move, no such rollback
                    meets the rollback target on this repository, however it is written.
  choiros rollback  the safe sequence, plus the preview (diff-tree), the re-check that nothing
                    changed since the snapshot (diff-files and the untracked listing), the lock
                    and the empty folders. Every rollback can be undone: the snapshot is its cost.`);
  console.log(`\nsamples (ms): ${JSON.stringify(Object.fromEntries(Object.entries({ checkpoint: cp, rollback: rb }).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([n, xs]) => [n, xs.map((x) => Math.round(x))]))])))}`);
  const figures = Object.fromEntries(Object.entries({ checkpoint: cp, rollback: rb }).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([n, xs]) => [n, Math.round(m(xs) * 10) / 10]))]));
  rmSync(work, { recursive: true, force: true });
  // Other work on the machine shows in every figure; the ratios, measured side by side, much less.
  const load = [Math.round(loadBefore * 100) / 100, Math.round(loadavg()[0] * 100) / 100];
  console.log(`load average (1 min) before and after: ${load.join(', ')}`);
  console.log(`BENCH ${JSON.stringify({ name: 'checkpoint', files: FILES, changes: CHANGES, runs: RUNS, unit: 'ms', target: TARGET, load, medians: figures, ratios: Object.fromEntries(rows.map((r) => [r.label, Math.round(r.ratio * 100) / 100])), results: rows.filter((r) => r.judged).map((r) => ({ label: r.label, ratio: Math.round(r.ratio * 1000) / 1000, target: TARGET, pass: r.pass })) })}`);
}

main().catch((error) => {
  rmSync(work, { recursive: true, force: true });
  console.error(error);
  process.exit(1);
});
