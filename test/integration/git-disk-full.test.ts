import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError } from '../../src/errors.js';
import { Checkpoints, DEFAULT_SETTINGS } from '../../src/git/index.js';
import { TempRepo } from './git-fixture.js';

/**
 * A small file system of its own (a tmpfs), to fill up: only root may mount one, so elsewhere
 * these tests are skipped.
 */
function mountSmall(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
  if (mounted.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return undefined;
}

const probe = mountSmall();
const mounts: string[] = probe === undefined ? [] : [probe];
afterEach(() => {
  for (const dir of mounts.splice(0)) {
    spawnSync('umount', [dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A repository on a file system with no byte left. */
function fullRepo(): TempRepo {
  const dir = mounts[0] ?? mountSmall();
  if (dir === undefined) throw new Error('no tmpfs');
  if (!mounts.includes(dir)) mounts.push(dir);
  const repo = TempRepo.create({ under: dir });
  repo.write('src/app.ts', 'export const answer = 43;\n');
  const { bavail, bsize } = statfsSync(dir);
  mkdirSync(join(dir, 'filler'));
  try {
    writeFileSync(join(dir, 'filler', 'all'), Buffer.alloc(Number(bavail) * Number(bsize)));
  } catch {
    // Full: that is the point.
  }
  // tmpfs may keep a last page or two: fill them with small files.
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, 'filler', String(i)), 'x'.repeat(4096));
    } catch {
      break;
    }
  }
  return repo;
}

describe.runIf(probe !== undefined)('a checkpoint on a full disk', () => {
  it('is refused as something to fix, not a bug, and leaves no stray file in the git dir', async () => {
    const repo = fullRepo();
    const index = repo.index();
    const before = readdirSync(repo.path('.git')).sort();

    const error = await new Checkpoints(repo.root, DEFAULT_SETTINGS).create({ message: 'full' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toMatch(/no space left on device/);
    expect((error as AbortError).hint).toMatch(/^Nothing was changed/);
    expect(readdirSync(repo.path('.git')).sort()).toEqual(before);
    expect(repo.index().equals(index)).toBe(true);
    expect(execFileSync('git', ['tag', '-l'], { cwd: repo.root, encoding: 'utf8' })).toBe('');
  });

  it('refuses a rollback the same way before anything moves, and leaves no scratch folder', async () => {
    const repo = fullRepo();
    const store = new Checkpoints(repo.root, DEFAULT_SETTINGS);
    rmSync(join(repo.root, '..', 'filler', '0'));
    rmSync(join(repo.root, '..', 'filler', 'all'), { force: true });
    const { name } = await store.create({ message: 'before' });
    rmSync(repo.path('.git/choiros'), { recursive: true, force: true });
    repo.write('src/app.ts', 'changed\n');
    const state = repo.state();
    for (let i = 0; ; i++) {
      try {
        writeFileSync(join(repo.root, '..', 'filler', `more-${i}`), 'x'.repeat(4096));
      } catch {
        break;
      }
    }

    const error = await store.rollback({ target: name }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toMatch(/no space left on device/);
    expect(repo.state()).toEqual(state);
    expect(readdirSync(repo.path('.git/choiros'))).toEqual([]);
  });
});
