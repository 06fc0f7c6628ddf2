import { describe, expect, it } from 'vitest';
import { MemoryJournal, type AgentPort } from '../../../src/runtime/index.js';
import { FakeClock, FakeGates, FakeVerify, run } from './harness.js';

const failing = (fingerprint: string, digest = `verify failed: unit fail (${fingerprint})`) => ({ passed: false, status: 'fail', digest, fingerprint, failures: [] });
const passing = { passed: true, status: 'pass', digest: 'verify passed: unit pass', fingerprint: null, failures: [] };

const LOOP = ['let r = verify unit', 'loop until r.passed (max: 6) as i:', '  rollback', '  session "fix {i}"', '  r = verify unit', 'output ok = r.passed'].join('\n');

const change = (path: string, blob: string) => ({ key: `file:${path}@${blob}`, text: `test file changed: ${path}` });
const answer = (text: string) => ({ answer: text, feedback: '', by: 'ann' });

describe('the agentic loop in the interpreter', () => {
  it('numbers each verification and hands it the earlier attempts for its digest', async () => {
    const verify = new FakeVerify([failing('a', 'verify failed: unit fail\n  - adds (test/math.test.js:10)'), failing('b'), passing]);
    const r = await run(LOOP, { verify });
    expect(r.outputs).toEqual({ ok: true });
    expect(verify.ios.map((io) => io.attempt)).toEqual([1, 2, 3]);
    expect(verify.ios[2]?.earlier).toEqual([
      { attempt: 1, passed: false, summary: 'verify failed: unit fail\n  - adds (test/math.test.js:10)', candidate: null },
      { attempt: 2, passed: false, summary: 'verify failed: unit fail (b)', candidate: null },
    ]);
  });

  it('stops before the next agent once max_iterations verifications failed in a row, after the rollback between them', async () => {
    const verify = new FakeVerify([failing('a'), failing('b'), failing('c')]);
    const r = await run(LOOP, { verify, caps: { maxIterations: 2 } });
    expect(r.status).toBe('limit');
    expect(r.error?.message).toBe('max_iterations=2 reached: verification failed 2 times in a row');
    expect(r.prompts).toEqual(['default: fix 0']);
    expect(r.checkpoints.log).toEqual(['rollback (last good)', 'rollback (last good)']);
  });

  it('counts only failures in a row: a pass starts the count again', async () => {
    const program = ['let a = verify unit', 'session "one"', 'let b = verify unit', 'session "two"', 'let c = verify unit', 'session "three"'].join('\n');
    const r = await run(program, { verify: new FakeVerify([failing('a'), passing, failing('b')]), caps: { maxIterations: 2 } });
    expect(r.status).toBe('succeeded');
  });

  it('stops an autonomous run when the same failure comes back three times in a row', async () => {
    const r = await run(LOOP, { verify: new FakeVerify([failing('same'), failing('same'), failing('same')]), autonomous: true });
    expect(r.status).toBe('limit');
    expect(r.error?.message).toMatch(/^verification failed the same way 3 times in a row \(fingerprint same\): a human should look \(choiros approve \S+ keeps trying\)$/);
    expect(r.journal.deviations.map((d) => d.kind)).toEqual(['SameFailure']);
    expect(r.prompts).toEqual(['default: fix 0', 'default: fix 1']);
  });

  it('asks a human after the same failure three times; Continue counts from zero again, Stop ends at the limit', async () => {
    const gates = new FakeGates([answer('Continue')]);
    const verify = new FakeVerify([failing('same'), failing('same'), failing('same'), failing('same'), failing('same'), passing]);
    const r = await run(LOOP, { verify, gates });
    expect(r.outputs).toEqual({ ok: true });
    expect(gates.asked.map((g) => [g.name, g.options])).toEqual([['stuck', ['Continue', 'Stop']]]);
    const stopped = await run(LOOP, { verify: new FakeVerify([failing('same'), failing('same'), failing('same')]), gates: new FakeGates([answer('Stop')]) });
    expect(stopped.status).toBe('limit');
    expect(stopped.error?.message).toContain('ann chose to stop');
  });

  it('waits for approval when no one can answer, and a resumed run finishes that same task with the answer given meanwhile', async () => {
    const first = await run(LOOP, { verify: new FakeVerify([failing('same'), failing('same'), failing('same')]) });
    expect(first.status).toBe('awaiting_approval');
    const waiting = first.journal.tasks.find((t) => t.task === 'gate stuck');
    expect(waiting?.status).toBe('awaiting_approval');
    // Each failed verification is a failed task that keeps its verdict: a resume replays, not repeats, it.
    expect(first.journal.tasks.filter((t) => t.task === 'verify unit').map((t) => [t.status, t.reason, t.detail.logExcerpt])).toEqual(Array(3).fill(['failed', 'verify failed: unit fail (same)', 'verify failed: unit fail (same)']));
    const journal = MemoryJournal.replaying(first.journal, new Map([[waiting?.id ?? 0, { state: 'approved' as const }]]));
    const verify = new FakeVerify([passing]);
    const again = await run(LOOP, { journal, verify });
    expect(again.outputs).toEqual({ ok: true });
    expect(verify.ios).toHaveLength(1);
    expect(again.prompts).toEqual(['default: fix 2']);
    expect(journal.tasks.filter((t) => t.task === 'gate stuck').map((t) => [t.id, t.status, t.value])).toEqual([[waiting?.id, 'succeeded', expect.objectContaining({ primary: 'Continue' })]]);
  });

  it('refuses a candidate that changed the checks in autonomous mode, without asking, and tells the gates so', async () => {
    const gates = new FakeGates();
    const verify = new FakeVerify([{ passed: false, status: 'error', digest: 'verify failed: checks error', fingerprint: 'x' }], [[change('test/a.test.js', '1')]]);
    const r = await run('let r = verify unit\noutput status = r.status', { verify, gates, autonomous: true });
    expect(verify.ios[0]?.checks).toEqual({ status: 'refused', changes: [change('test/a.test.js', '1')] });
    expect(gates.asked).toEqual([]);
    expect(r.journal.deviations).toEqual([{ kind: 'ChecksChanged', stage: 'main', detail: 'test file changed: test/a.test.js' }]);
    expect(r.journal.tasks.find((t) => t.task === 'gate checks')?.meta).toEqual({ answer: 'Refuse', by: 'autonomous mode' });
  });

  it('asks about changes to the checks in assisted mode, and never twice about a change it accepted', async () => {
    const same = change('test/a.test.js', '1');
    const other = change('test/b.test.js', '7');
    const gates = new FakeGates([answer('Accept'), answer('Refuse')]);
    const verify = new FakeVerify([passing, passing, passing], [[same], [same], [same, other]]);
    await run('verify unit\nverify unit\nverify unit\n', { verify, gates });
    expect(verify.ios.map((io) => io.checks?.status)).toEqual(['accepted', 'accepted', 'refused']);
    expect(gates.asked.map((g) => g.prompt)).toEqual([
      'The agent changed what the gates check:\n  - test file changed: test/a.test.js\nAccept these changes?',
      'The agent changed what the gates check:\n  - test file changed: test/b.test.js\nAccept these changes?',
    ]);
  });

  it('stops at the deadline before the next step starts', async () => {
    const clock = new FakeClock();
    const r = await run('session "long"\nsession "next"\n', { clock, answers: { default: [{ output: 'done', delay_ms: 6000 }] }, caps: { deadline: 5000, deadlineText: '07:00' } });
    expect(r.status).toBe('limit');
    expect(r.error?.message).toBe('the deadline 07:00 passed');
    expect(r.prompts).toEqual(['default: long']);
  });

  it('stops at a limit rather than failing when a session fails for good because its agent timed out', async () => {
    const agentPort: AgentPort = { run: async () => ({ ok: false, text: '', error: 'timed out after 1s', exitCode: undefined, durationMs: 1000, costUsd: undefined, sessionId: undefined, logFile: undefined, timedOut: true }) };
    const r = await run('session "slow"\n', { agentPort });
    expect(r.status).toBe('limit');
    const caught = await run('try:\n  session "slow"\ncatch as e:\n  output e = e.message\n', { agentPort });
    expect(caught.status).toBe('succeeded');
  });
});

describe('a gate answered while the run was stopped', () => {
  const program = 'let d = gate deploy:\n  options: ["Yes", "No", "Modify"]\nsession "apply {d.feedback} ({d})"\n';

  it('takes the option and feedback given through the ledger, on the task that waited', async () => {
    const first = await run(program);
    expect(first.status).toBe('awaiting_approval');
    const task = first.journal.tasks[0];
    const journal = MemoryJournal.replaying(first.journal, new Map([[task?.id ?? 0, { state: 'approved' as const, option: 'modify', feedback: 'use port 9090' }]]));
    const again = await run(program, { journal });
    expect(again.prompts).toEqual(['default: apply use port 9090 (Modify)']);
    expect(journal.tasks.map((t) => [t.id, t.task, t.status])).toEqual([
      [task?.id, 'gate deploy', 'succeeded'],
      [expect.any(Number), 'session default', 'succeeded'],
    ]);
  });

  it('reads a rejection as the option that means no', async () => {
    const first = await run(program);
    const journal = MemoryJournal.replaying(first.journal, new Map([[first.journal.tasks[0]?.id ?? 0, { state: 'rejected' as const, feedback: 'not now' }]]));
    expect((await run(program, { journal })).prompts).toEqual(['default: apply not now (No)']);
  });
});

describe('inputs asked in the middle of a run', () => {
  it('are journaled, so a resumed run is not asked again', async () => {
    const program = 'phase ship:\n  input target: "Where to?"\n  session "deploy to {target}"\n    retry: 0\n';
    const first = await run(program, { ask: () => 'prod', answers: { default: [{ fail: 'crash' }] } });
    expect(first.status).toBe('failed');
    const again = await run(program, { journal: MemoryJournal.replaying(first.journal), ask: () => undefined });
    expect(again.status).toBe('succeeded');
    expect(again.prompts).toEqual(['default: deploy to prod']);
  });

  it('include top-level ones after the first step, replayed the same way', async () => {
    const program = 'session "build"\ninput target: "Where to?"\nsession "deploy to {target}"\n  retry: 0\n';
    const first = await run(program, { ask: () => 'prod', answers: { default: ['built', { fail: 'crash' }] } });
    expect(first.status).toBe('failed');
    const again = await run(program, { journal: MemoryJournal.replaying(first.journal), ask: () => undefined });
    expect([again.status, again.prompts]).toEqual(['succeeded', ['default: deploy to prod']]);
  });
});
