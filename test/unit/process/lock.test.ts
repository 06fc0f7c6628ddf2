import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockHolder } from '../../../src/process/lock.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'choiros-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('acquireLock', () => {
  it('is held by one process at a time and released by its holder', () => {
    const path = join(dir, '.choiros', 'run.lock');
    const first = acquireLock(path, 'running run-1', { run: 'run-1' });
    expect(first.ok).toBe(true);
    const second = acquireLock(path, 'running run-2');
    expect(second).toMatchObject({ ok: false, holder: { pid: process.pid, doing: 'running run-1', detail: { run: 'run-1' } } });
    expect(lockHolder(path)?.doing).toBe('running run-1');
    if (first.ok) first.release();
    expect(existsSync(path)).toBe(false);
    expect(lockHolder(path)).toBeUndefined();
  });

  it('takes over a lock whose holder is dead', () => {
    const path = join(dir, 'run.lock');
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, startTicks: 1, doing: 'running run-0', since: '' }));
    expect(lockHolder(path)).toBeUndefined();
    const taken = acquireLock(path, 'running run-1');
    expect(taken.ok).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock whose pid now belongs to a later process', () => {
    const path = join(dir, 'run.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, startTicks: 1, doing: 'running run-0', since: '' }));
    expect(acquireLock(path, 'running run-1').ok).toBe(true);
  });

  it('never removes a lock it does not hold', () => {
    const path = join(dir, 'run.lock');
    const mine = acquireLock(path, 'a');
    writeFileSync(path, JSON.stringify({ pid: process.pid, startTicks: undefined, doing: 'someone else', since: '' }));
    if (mine.ok) mine.release();
    expect(existsSync(path)).toBe(true);
  });
});
