import { describe, expect, it } from 'vitest';
import { doctorChecks, doctorExitCode, versionOf, type DoctorFacts } from '../../../src/doctor/checks.js';

const healthy: DoctorFacts = {
  git: { version: 'git version 2.43.0' },
  repo: { root: '/work/app', operation: undefined },
  checkpoints: { total: 3, good: 'checkpoint-20260130-120000', newest: 'checkpoint-20260130-130000' },
  diskFreeBytes: 80e9,
  logs: { path: '/home/u/.local/share/choiros/logs/app', error: undefined },
  tmux: { version: 'tmux 3.3a' },
  agents: [{ name: 'default', binary: 'claude', found: '/usr/bin/claude' }],
  gates: ['unit', 'lint'],
  maxIterations: 8,
  rollbackOnFailure: undefined,
  notify: { targets: 1, unset: [] },
  lock: undefined,
};

const status = (facts: Partial<DoctorFacts>) => Object.fromEntries(doctorChecks({ ...healthy, ...facts }).map((c) => [c.id, c.status]));

describe('choiros doctor', () => {
  it('passes a project ready for an unattended run', () => {
    const checks = doctorChecks(healthy);
    expect(checks.map((c) => c.id)).toEqual(['git', 'repository', 'git-operation', 'checkpoint', 'disk', 'logs', 'tmux', 'agents', 'gates', 'max-iterations', 'rollback', 'webhook', 'lock']);
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
    expect(doctorExitCode(checks, true)).toBe(0);
  });

  it('fails what would make a night unsafe', () => {
    expect(status({ repo: undefined, checkpoints: undefined })).toMatchObject({ repository: 'fail' });
    expect(status({ repo: { root: '/a', operation: 'rebase' } })['git-operation']).toBe('fail');
    expect(status({ checkpoints: { total: 0, good: undefined, newest: undefined } }).checkpoint).toBe('fail');
    expect(status({ git: { version: 'git version 2.30.1' } }).git).toBe('fail');
    expect(status({ git: { version: undefined } }).git).toBe('fail');
    expect(status({ diskFreeBytes: 0.5e9 }).disk).toBe('fail');
    expect(status({ logs: { path: '/x', error: 'EACCES' } }).logs).toBe('fail');
    expect(status({ agents: [{ name: 'default', binary: 'claude', found: undefined }] }).agents).toBe('fail');
    expect(status({ rollbackOnFailure: false }).rollback).toBe('fail');
    expect(status({ lock: { run: 'run-2', pid: 77, since: 'now' } }).lock).toBe('fail');
    const unset = doctorChecks({ ...healthy, notify: { targets: 2, unset: [{ target: 'webhook[1]', variables: ['NOPE_URL', 'NOPE_SECRET'] }] } }).find((c) => c.id === 'webhook');
    expect(unset).toEqual({ id: 'webhook', status: 'fail', detail: 'webhook[1] uses ${NOPE_URL}, ${NOPE_SECRET}, not set: it cannot send', hint: 'Set NOPE_URL, NOPE_SECRET in the environment of the run (or fix the name in choiros.yaml `notify:`).' });
    expect(doctorExitCode(doctorChecks({ ...healthy, rollbackOnFailure: false }), false)).toBe(1);
  });

  it('warns about what a person should know, which fails only with --strict', () => {
    expect(status({ checkpoints: { total: 2, good: undefined, newest: 'c' } }).checkpoint).toBe('warn');
    expect(status({ diskFreeBytes: 9e9 }).disk).toBe('warn');
    expect(status({ tmux: { version: undefined } }).tmux).toBe('warn');
    expect(status({ tmux: { version: 'tmux 2.9a' } }).tmux).toBe('warn');
    expect(status({ gates: [] }).gates).toBe('warn');
    expect(status({ maxIterations: undefined })['max-iterations']).toBe('warn');
    expect(status({ maxIterations: 50 })['max-iterations']).toBe('warn');
    expect(status({ notify: { targets: 0, unset: [] } }).webhook).toBe('warn');
    const warned = doctorChecks({ ...healthy, notify: { targets: 0, unset: [] } });
    expect([doctorExitCode(warned, false), doctorExitCode(warned, true)]).toEqual([0, 1]);
    expect(doctorChecks({ ...healthy, diskFreeBytes: 9e9 }).find((c) => c.id === 'disk')?.detail).toBe('9.0 GB free (under 10 GB)');
  });

  it('reads versions the way git and tmux print them', () => {
    expect([versionOf('git version 2.43.0'), versionOf('tmux 3.3a'), versionOf('tmux next-3.4'), versionOf('')]).toEqual([[2, 43], [3, 3], [3, 4], undefined]);
  });
});
