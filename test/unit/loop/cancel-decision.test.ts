import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run, RunStatus } from '../../../src/ledger/model.js';
import { cancelDecision } from '../../../src/loop/cancel.js';
import { acquireLock } from '../../../src/process/lock.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function lockFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'choiros-cancel-'));
  dirs.push(dir);
  return join(dir, 'run.lock');
}

function run(status: RunStatus, more: Partial<Run> = {}): Run {
  const finishedAt = status === 'running' ? null : '2025-01-01T00:00:05.000Z';
  return { id: 'run-1', program: 'p.prose', programHash: 'h', args: {}, mode: null, status, reason: null, startedAt: '2025-01-01T00:00:00.000Z', finishedAt, pid: null, control: null, origin: 'choiros', ...more };
}

describe('what a cancel does, for choiros cancel and the API alike', () => {
  it('cancels a run that stopped to wait here, when no process holds it', () => {
    const lock = lockFile();
    expect((['paused', 'awaiting_approval', 'stopped', 'interrupted'] as const).map((s) => cancelDecision(run(s), lock))).toEqual(['here', 'here', 'here', 'here']);
    expect(cancelDecision(run('awaiting_approval'), undefined)).toBe('here');
  });

  it('asks a run its own resume holds the lock of, though its status still says it stopped', () => {
    const lock = lockFile();
    const held = acquireLock(lock, 'resuming run-1', { run: 'run-1' });
    try {
      expect([cancelDecision(run('awaiting_approval'), lock), cancelDecision(run('stopped'), lock)]).toEqual(['request', 'request']);
      expect(cancelDecision(run('interrupted', { control: 'cancel' }), lock)).toBe('asked');
      // Another run's lock says nothing of this one.
      expect(cancelDecision(run('awaiting_approval', { id: 'run-2' }), lock)).toBe('here');
    } finally {
      if (held.ok) held.release();
    }
  });

  it('asks a running run once, and refuses one that ended', () => {
    expect([cancelDecision(run('running'), undefined), cancelDecision(run('running', { control: 'cancel' }), undefined)]).toEqual(['request', 'asked']);
    expect((['succeeded', 'failed', 'cancelled'] as const).map((s) => cancelDecision(run(s), undefined))).toEqual(['ended', 'ended', 'ended']);
  });
});
