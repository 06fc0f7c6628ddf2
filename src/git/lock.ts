import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AbortError } from '../errors.js';
import { sleep } from '../util/sleep.js';
import type { Repo } from './repo.js';

interface Holder {
  pid: number;
  doing: string;
}

function readHolder(path: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, doing: String(parsed.doing ?? 'working') } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryAcquire(path: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

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
  const me: Holder = { pid: process.pid, doing };
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  while (!tryAcquire(path, me)) {
    const holder = readHolder(path);
    if (holder !== undefined && !isAlive(holder.pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder === undefined ? 'another process' : `choiros (pid ${holder.pid}) is ${holder.doing}`;
      throw new AbortError(`Cannot start ${doing}: ${who} in ${repo.root}.`, {
        hint: `Wait for it to finish. If no choiros is running, remove ${path}.`,
      });
    }
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
  }
}
