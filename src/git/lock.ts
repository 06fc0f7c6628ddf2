import { join } from 'node:path';
import { AbortError } from '../errors.js';
import { acquireLock } from '../process/lock.js';
import { sleep } from '../util/sleep.js';
import type { Repo } from './repo.js';
import { storageError } from './storage-error.js';

export interface LockOptions {
  /** How long to wait for another choiros to finish (default 15 s). */
  waitMs?: number;
}

/**
 * One checkpoint or rollback at a time per work tree: a checkpoint taken halfway through a
 * rollback would record a half-restored tree. The lock is a file in the work tree's git dir; a
 * lock left by a process that died is taken over.
 */
export async function withWorkTreeLock<T>(repo: Pick<Repo, 'gitDir' | 'root'>, doing: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const path = join(repo.gitDir, 'choiros.lock');
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  const take = () => {
    try {
      return acquireLock(path, doing);
    } catch (error) {
      throw storageError(error, doing, path);
    }
  };
  let acquired = take();
  while (!acquired.ok) {
    if (Date.now() >= deadline) {
      const { holder } = acquired;
      throw new AbortError(`Cannot start ${doing}: choiros (pid ${holder.pid}) is ${holder.doing} in ${repo.root}.`, {
        hint: `Wait for it to finish. If no choiros is running, remove ${path}.`,
      });
    }
    await sleep(50);
    acquired = take();
  }
  try {
    return await fn();
  } finally {
    acquired.release();
  }
}
