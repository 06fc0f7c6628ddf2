import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, createExclusive, lockHolder } from '../../../src/process/lock.js';

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

/** A disk that fills up after `room` bytes: the write stops short, and the next one fails with ENOSPC. */
function diskWithRoom(room: number): typeof writeSync {
  let left = room;
  return ((fd: number, buffer: Buffer, offset: number, length: number) => {
    if (left === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const written = writeSync(fd, buffer, offset, Math.min(length, left));
    left -= written;
    return written;
  }) as typeof writeSync;
}

describe('createExclusive (file systems without hard links)', () => {
  it('writes the whole holder, however many writes it takes', () => {
    const path = join(dir, 'run.lock');
    let calls = 0;
    const fewBytes = ((fd: number, buffer: Buffer, offset: number, length: number) => (calls++, writeSync(fd, buffer, offset, Math.min(length, 3)))) as typeof writeSync;
    expect(createExclusive(path, '{"pid":1,"doing":"x"}', fewBytes)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('{"pid":1,"doing":"x"}');
    expect(calls).toBe(7);
  });

  it('leaves no lock file behind when the disk is full, empty or half written, and says why', () => {
    for (const room of [0, 5]) {
      const path = join(dir, `full-${room}.lock`);
      expect(() => createExclusive(path, '{"pid":1,"doing":"x"}', diskWithRoom(room))).toThrow(/ENOSPC/);
      expect(existsSync(path)).toBe(false);
    }
  });

  it('never removes a lock another taker put in place meanwhile', () => {
    const path = join(dir, 'run.lock');
    const theirs = JSON.stringify({ pid: process.pid, doing: 'someone else' });
    // The empty file looked stale to another taker, who replaced it before our write failed.
    const replacedThenFull = (() => {
      rmSync(path);
      writeFileSync(path, theirs);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof writeSync;
    expect(() => createExclusive(path, '{"pid":1}', replacedThenFull)).toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe(theirs);
  });
});
