import { describe, expect, it } from 'vitest';
import type { LedgerEvent, Run, StoredEvent, Task } from '../../../src/ledger/model.js';
import { attemptsOf, bestAttempt } from '../../../src/loop/attempts.js';
import { morningReport, renderReport } from '../../../src/loop/report.js';
import { encodeValue, fromJson, Tagged, type ValueObject } from '../../../src/runtime/values.js';

const RUN: Run = { id: 'run-1', program: 'prose/agentic-build.prose', programHash: 'h', args: {}, mode: 'autonomous', status: 'stopped', reason: 'max_iterations=2 reached: verification failed 2 times in a row', startedAt: '2026-01-30T23:00:00.000Z', finishedAt: '2026-01-31T01:30:00.000Z', pid: 1, control: null, origin: 'choiros' };

let nextId = 1;
function task(name: string, fields: Partial<Task> = {}): Task {
  return { id: nextId++, task: name, runId: 'run-1', status: 'succeeded', reason: null, stage: 'verification', step: null, attempt: 1, agent: null, startedAt: RUN.startedAt, finishedAt: null, durationMs: null, inputs: null, outputs: null, outputsUri: null, logExcerpt: null, approvalState: null, approver: null, feedback: null, webhookNotifiedAt: null, ...fields };
}

function verifyTask(verdict: Record<string, unknown>): Task {
  const value = new Tagged('verify', verdict.passed === true, fromJson(verdict) as ValueObject, String(verdict.digest));
  return task('verify', { outputs: { value: encodeValue(value) } });
}

const gateOf = (gate: string, status: string, failed: number) => ({ gate, status, passed: status === 'pass', tests: { total: 3, passed: 3 - failed, failed, errored: 0, skipped: 0 } });
const verdict = (attempt: number, fields: Record<string, unknown>) => ({ attempt, passed: false, status: 'fail', failures: [], coverage: null, warnings: null, fingerprint: `f${attempt}`, candidate: { name: `checkpoint-${attempt}`, commit: `c${attempt}` }, checks: { status: 'unchanged', changes: [] }, ...fields });

let seq = 1;
const at = (event: LedgerEvent, time = RUN.startedAt): StoredEvent => ({ seq: seq++, runId: 'run-1', taskId: null, time, event });

describe('the attempts of a run', () => {
  it('are read back from the verify tasks, and the best kept one is the one that came closest', () => {
    const tasks = [
      verifyTask(verdict(1, { digest: 'verify failed: unit fail\n…', gates: [gateOf('unit', 'fail', 3)] })),
      verifyTask(verdict(2, { digest: 'verify failed: unit flaky', status: 'flaky', gates: [gateOf('unit', 'flaky', 1)] })),
      verifyTask(verdict(3, { digest: 'verify failed: unit fail', gates: [gateOf('unit', 'fail', 1)], coverage: 80 })),
      task('session fixer'),
    ];
    const attempts = attemptsOf(tasks);
    expect(attempts.map((a) => [a.attempt, a.status, a.failing, a.flakyGates, a.headline])).toEqual([
      [1, 'fail', 3, [], 'verify failed: unit fail'],
      [2, 'flaky', 1, ['unit'], 'verify failed: unit flaky'],
      [3, 'fail', 1, [], 'verify failed: unit fail'],
    ]);
    expect(bestAttempt(attempts)?.attempt).toBe(2);
    expect(bestAttempt(attempts.filter((a) => a.attempt !== 2))?.attempt).toBe(3);
  });
});

describe('the morning report', () => {
  const tasks = [
    verifyTask(verdict(1, { digest: 'verify failed: checks error', status: 'error', gates: [{ gate: 'checks', status: 'error', passed: false, tests: null }], failures: [{ gate: 'checks', kind: 'gate', message: 'test file changed: test/a.test.js' }], checks: { status: 'refused', changes: [{ key: 'k', text: 'test file changed: test/a.test.js' }] } })),
    verifyTask(verdict(2, { digest: 'verify failed: unit flaky', status: 'flaky', gates: [gateOf('unit', 'flaky', 1)] })),
    task('gate deploy', { status: 'awaiting_approval', approvalState: 'pending', id: 42 }),
  ];
  const events = [
    at({ type: 'stage.started', stage: 'setup' }),
    at({ type: 'stage.finished', stage: 'setup', status: 'succeeded' }, '2026-01-30T23:05:00.000Z'),
    at({ type: 'stage.started', stage: 'verification' }),
    at({ type: 'checkpoint', name: 'checkpoint-0', commit: 'c0', verdict: 'good' }),
    at({ type: 'rollback', target: 'checkpoint-0', undo: 'pre-rollback/4' }),
    at({ type: 'deviation', kind: 'ChecksChanged', stage: 'verification', detail: 'test file changed: test/a.test.js' }),
  ];
  const input = { run: RUN, tasks, events, best: 'refs/choiros/best/run-1', now: RUN.finishedAt ?? '' };

  it('says what needs a human, first', () => {
    const report = morningReport(input);
    expect(report.needsHuman).toEqual([
      'gate deploy (task 42) waits for approval: `choiros approve 42` or `choiros reject 42`, then `prose resume run-1`',
      'an agent changed what the gates check: test file changed: test/a.test.js',
      'attempt #1 (checkpoint-1) changed the checks and was refused: look at it, and accept by hand what is right (runs judge by the last good checkpoint: mark a tree you trust with `choiros checkpoint --verdict good`)',
      'the run stopped: max_iterations=2 reached: verification failed 2 times in a row. `prose resume run-1` goes on (a cap can be raised: `prose resume run-1 max_iterations=N deadline=HH:MM`)',
    ]);
    expect(report.best).toEqual({ ref: 'refs/choiros/best/run-1', attempt: 2 });
    expect(report.stages).toEqual([
      { stage: 'setup', status: 'succeeded', durationMs: 300_000 },
      { stage: 'verification', status: 'unfinished', durationMs: null },
    ]);
  });

  it('says where the changes a stopped run rolled back are kept', () => {
    const unfinished = { target: 'checkpoint-0', undo: 'pre-rollback/5', kept: 'refs/choiros/unfinished/run-1', changed: 2 };
    const report = morningReport({ ...input, tasks: [], events: [], unfinished });
    expect(report.needsHuman.at(-1)).toBe("the work tree was rolled back to checkpoint-0 when the run stopped: what it held (a failed candidate, or an agent's unfinished edits) is kept as `refs/choiros/unfinished/run-1`, and `choiros rollback refs/choiros/unfinished/run-1` brings it back");
    expect(report.unfinished).toEqual(unfinished);
    expect(morningReport(input).unfinished).toBeNull();
  });

  it('sends a run a human chose to stop to a new start, and an interrupted one to resume', () => {
    const stopped = morningReport({ ...input, tasks: [], events: [], run: { ...RUN, reason: 'verification failed the same way 3 times in a row (fingerprint f1): alice chose to stop' } });
    expect(stopped.needsHuman.at(-1)).toBe('the run stopped: verification failed the same way 3 times in a row (fingerprint f1): alice chose to stop. Start again from a good state: `choiros rollback`, then `prose run prose/agentic-build.prose`');
    const interrupted = morningReport({ ...input, tasks: [], events: [], run: { ...RUN, status: 'interrupted', reason: null } });
    expect(interrupted.needsHuman).toEqual(['the run was interrupted: its process ended before the run did. `prose resume run-1` goes on from its first unfinished step']);
  });

  it('renders stages, attempts, rollbacks with their undo handles, flaky gates and checkpoints', () => {
    const text = renderReport(morningReport(input), input);
    expect(text.split('\n').slice(0, 3)).toEqual(['# run-1: stopped at a limit', '', '`prose/agentic-build.prose` · mode autonomous · started 2026-01-30T23:00:00.000Z · ended 2026-01-31T01:30:00.000Z (2h30m)']);
    expect(text).toContain('| 1 | refused (checks changed) | 1 |  |  | checkpoint-1 | verify failed: checks error |');
    expect(text).toContain('| setup | succeeded | 5m00s |');
    expect(text).toContain('Best attempt: #2, kept as `refs/choiros/best/run-1`');
    expect(text).toContain('- to checkpoint-0 — undo with `choiros rollback pre-rollback/4`');
    expect(text).toContain('- unit (attempt 2): failed, then passed on a re-run of the same tree');
    expect(text).toContain('- checkpoint-0 (good)');
  });
});
