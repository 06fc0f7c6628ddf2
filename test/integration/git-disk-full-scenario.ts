/**
 * The disk-full scenarios of git-disk-full.test.ts, run by that test inside a mount namespace of
 * their own where `dir` is a small tmpfs (only processes in the namespace see it, so choiros and
 * the git it starts run here). Usage: `node --import tsx git-disk-full-scenario.ts <dir>
 * <checkpoint|rollback>`; prints what the test checks as JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError } from '../../src/errors.js';
import { Checkpoints, DEFAULT_SETTINGS } from '../../src/git/index.js';
import { sorted, TempRepo } from './git-fixture.js';

export interface ScenarioReport {
  /** What the call under test threw. */
  error: { abort: boolean; message: string; hint: string | undefined } | undefined;
  /** Entries of `.git` (checkpoint) or `.git/choiros` (rollback), before and after. */
  gitDir: { before: string[]; after: string[] };
  /** The work tree, before and after. */
  state: { before: Array<[string, string]>; after: Array<[string, string]> };
  indexUnchanged: boolean;
  tags: string;
}

/** Writes files into `dir` until the file system refuses one more byte. */
function fill(dir: string, prefix: string): void {
  const { bavail, bsize } = statfsSync(dir);
  try {
    writeFileSync(join(dir, `${prefix}all`), Buffer.alloc(Number(bavail) * Number(bsize)));
  } catch {
    // Full: that is the point.
  }
  // tmpfs may keep a last page or two: fill them with small files.
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `${prefix}${i}`), 'x'.repeat(4096));
    } catch {
      return;
    }
  }
}

function describeError(error: unknown): ScenarioReport['error'] {
  if (error === undefined) return undefined;
  return { abort: error instanceof AbortError, message: error instanceof Error ? error.message : String(error), hint: error instanceof AbortError ? error.hint : undefined };
}

async function checkpoint(repo: TempRepo, filler: string): Promise<ScenarioReport> {
  fill(filler, '');
  const index = repo.index();
  const before = readdirSync(repo.path('.git')).sort();
  const state = sorted(repo.state());

  const error = await new Checkpoints(repo.root, DEFAULT_SETTINGS).create({ message: 'full' }).then(() => undefined, (e: unknown) => e);

  return {
    error: describeError(error),
    gitDir: { before, after: readdirSync(repo.path('.git')).sort() },
    state: { before: state, after: sorted(repo.state()) },
    indexUnchanged: repo.index().equals(index),
    tags: execFileSync('git', ['tag', '-l'], { cwd: repo.root, encoding: 'utf8' }),
  };
}

async function rollback(repo: TempRepo, filler: string): Promise<ScenarioReport> {
  const store = new Checkpoints(repo.root, DEFAULT_SETTINGS);
  const { name } = await store.create({ message: 'before' });
  rmSync(repo.path('.git/choiros'), { recursive: true, force: true });
  repo.write('src/app.ts', 'changed\n');
  fill(filler, 'more-');
  const index = repo.index();
  const state = sorted(repo.state());

  const error = await store.rollback({ target: name }).then(() => undefined, (e: unknown) => e);

  return {
    error: describeError(error),
    gitDir: { before: [], after: readdirSync(repo.path('.git/choiros')).sort() },
    state: { before: state, after: sorted(repo.state()) },
    indexUnchanged: repo.index().equals(index),
    tags: execFileSync('git', ['tag', '-l'], { cwd: repo.root, encoding: 'utf8' }),
  };
}

const [dir, scenario] = process.argv.slice(2);
if (dir === undefined || (scenario !== 'checkpoint' && scenario !== 'rollback')) throw new Error('usage: git-disk-full-scenario.ts <dir> <checkpoint|rollback>');
const repo = TempRepo.create({ under: dir });
repo.write('src/app.ts', 'export const answer = 43;\n');
const filler = join(dir, 'filler');
mkdirSync(filler);
const report = await (scenario === 'checkpoint' ? checkpoint : rollback)(repo, filler);
process.stdout.write(JSON.stringify(report));
