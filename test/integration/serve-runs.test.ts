import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/process/lock.js';
import { waitFor } from '../helpers/wait.js';
import { rawGet, runAtGate, serverFixture, SseReader } from './serve-fixture.js';

const start = serverFixture();

// Fields of the API's JSON that these tests read; the rest is checked where it matters.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies read field by field

async function json(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

describe('runs', () => {
  it('lists runs newest first and shows one with the play tracker’s view, its numbers and its waiting gate', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger);
    const list = await json(await s.call('GET', '/runs', { auth: false }));
    expect(list.items.map((r: Json) => r.id)).toEqual([runId]);
    expect(list.next_cursor).toBeNull();
    const view = await json(await s.call('GET', `/runs/${runId}`, { auth: false }));
    expect(view.run).toMatchObject({ id: runId, status: 'running', mode: 'assisted' });
    expect(view.play.stages.map((st: Json) => [st.name, st.status])).toEqual([
      ['implementation', 'done'],
      ['review', 'waiting'],
    ]);
    expect(view.play).toMatchObject({ health: 'on track', current_stage: 'review', next_action: { kind: 'approve', taskId: gateId } });
    expect(view.metrics).toMatchObject({ success_rate: 1, iteration: 1, tasks: 2 });
    expect(view.agents.find((a: Json) => a.agent === 'rex')).toMatchObject({ tasks: 1, last_line: 'writing src/login.ts', current: { status: 'succeeded' } });
    expect(view.waiting.map((t: Json) => t.id)).toEqual([gateId]);
    expect(view.history.map((h: Json) => h.text)).toContain('stage review started');
    expect(view.last_seq).toBe(s.ledger.events({ runId }).at(-1)?.seq);
  });

  it('records a run whose process died as interrupted, with resume as its next action, leaving one with a live runner alone', async () => {
    const s = await start({ runLock: join(tmpdir(), `choiros-no-lock-${process.pid}`), stream: { settleMs: 50 } });
    const dead = spawnSync('true').pid;
    const orphan = s.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1', pid: dead });
    const live = s.ledger.createRun({ program: 'prose/build.prose', programHash: 'h1', pid: process.pid });
    const view = await waitFor(async () => {
      const v = await json(await s.call('GET', `/runs/${orphan.id}`, { auth: false }));
      return v.run.status === 'interrupted' && v;
    }, 5000, 'the orphaned run to be settled');
    expect(view.play.next_action).toMatchObject({ kind: 'resume', command: `prose resume ${orphan.id}` });
    expect((await json(await s.call('GET', `/runs/${live.id}`, { auth: false }))).run.status).toBe('running');
  });

  it('answers 404 for a run that does not exist', async () => {
    const s = await start();
    const response = await s.call('GET', '/runs/run-nope');
    expect([response.status, await json(response)]).toEqual([404, { error: "There is no run 'run-nope'." }]);
  });
});

describe('approvals', () => {
  it('approves the waiting gate: the answer is recorded on the task, which waits for the run to finish it', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger);
    const response = await s.call('POST', `/runs/${runId}/approve`, { body: { by: 'alice', feedback: 'ship it' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ run_id: runId, answer: 'approved', task: { id: gateId, status: 'awaiting_approval', approval_state: 'approved', approver: 'alice', feedback: 'ship it' } });
    expect(s.ledger.events({ runId }).at(-1)?.event).toEqual({ type: 'task.approval', taskId: gateId, state: 'approved', approver: 'alice', feedback: 'ship it' });
    const again = await s.call('POST', `/runs/${runId}/reject`, { body: {} });
    expect([again.status, await json(again)]).toEqual([409, { error: `Run ${runId} has no gate waiting for approval.` }]);
    const named = await s.call('POST', `/runs/${runId}/reject`, { body: { task: gateId } });
    expect([named.status, await json(named)]).toEqual([409, { error: `Task ${gateId} was already approved by alice.` }]);
  });

  it('rejects with feedback, and asks which gate when several wait', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger);
    const second = s.ledger.createTask({ task: 'gate:docs', runId, stage: 'review', status: 'running' });
    s.ledger.transition(second.id, 'awaiting_approval');
    const ambiguous = await s.call('POST', `/runs/${runId}/reject`);
    expect([ambiguous.status, await json(ambiguous)]).toEqual([409, { error: `task: several gates of run ${runId} wait (${gateId}, ${second.id}): name one` }]);
    const rejected = await json(await s.call('POST', `/runs/${runId}/reject`, { body: { task: second.id, feedback: 'the docs are wrong' } }));
    expect(rejected.task).toMatchObject({ id: second.id, approval_state: 'rejected', feedback: 'the docs are wrong', approver: null });
    expect(s.ledger.task(gateId).approvalState).toBe('pending');
  });

  it('refuses a gate of another run, an unknown run, and a task that is not waiting', async () => {
    const s = await start();
    const { runId, agentTaskId } = runAtGate(s.ledger);
    const other = s.ledger.createTask({ task: 'gate:x', runId: 'elsewhere', status: 'running' });
    expect(await json(await s.call('POST', `/runs/${runId}/approve`, { body: { task: other.id } }))).toEqual({ error: `task: task ${other.id} is not part of run ${runId}` });
    expect((await s.call('POST', '/runs/run-nope/approve')).status).toBe(404);
    const done = await s.call('POST', `/runs/${runId}/approve`, { body: { task: agentTaskId } });
    expect([done.status, await json(done)]).toEqual([409, { error: `Task ${agentTaskId} is not waiting for approval (it is succeeded).` }]);
    expect(await json(await s.call('POST', `/runs/${runId}/approve`, { body: { task: 'first' } }))).toEqual({ error: 'task: expected a task id' });
  });

  it('answers with one of the gate’s own options (Modify, with feedback), as choiros approve --option does', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger, ['Yes', 'No', 'Modify']);
    const response = await s.call('POST', `/runs/${runId}/approve`, { body: { option: 'modify', feedback: 'use port 9090', by: 'alice' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ answer: 'approved', option: 'Modify', task: { id: gateId, approval_state: 'approved', feedback: 'use port 9090' } });
    // Recorded as the CLI records it: the gate's own spelling, on the task.approval event the run reads.
    expect(s.ledger.events({ runId }).at(-1)?.event).toEqual({ type: 'task.approval', taskId: gateId, state: 'approved', approver: 'alice', feedback: 'use port 9090', option: 'Modify' });
    const again = await s.call('POST', `/runs/${runId}/approve`, { body: { task: gateId, option: 'Modify', feedback: 'port 9091 then' } });
    expect([again.status, await json(again)]).toEqual([409, { error: `Task ${gateId} was already approved by alice.` }]);
  });

  it('refuses an option the gate does not have, naming the field, and records nothing', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger, ['Yes', 'No', 'Modify']);
    const refusals = [
      [`/runs/${runId}/approve`, { option: 'Maybe' }, "option: the gate has no option 'Maybe' (its options: Yes, No, Modify)"],
      [`/runs/${runId}/approve`, { option: 'Modify' }, 'feedback: required with option Modify (say what the agent should change)'],
      [`/runs/${runId}/approve`, { option: 'Modify', feedback: '   ' }, 'feedback: required with option Modify (say what the agent should change)'],
      [`/runs/${runId}/approve`, { option: 'No' }, 'option: No means no: answer it with reject'],
      [`/runs/${runId}/reject`, { option: 'Modify', feedback: 'x' }, 'option: goes with approve; reject always picks the option that means no (No)'],
      [`/runs/${runId}/approve`, { option: '' }, 'option: expected a non-empty string'],
      [`/runs/${runId}/approve`, { option: 3 }, 'option: expected a string'],
    ] as const;
    for (const [path, body, error] of refusals) {
      const response = await s.call('POST', path, { body });
      expect([response.status, await json(response)]).toEqual([400, { error }]);
    }
    expect(s.ledger.task(gateId).approvalState).toBe('pending');
    expect(await json(await s.call('POST', `/runs/${runId}/approve`, { body: { option: 'yes' } }))).toMatchObject({ option: 'Yes', task: { approval_state: 'approved' } });
  });

  it('gives a gate that declares no options plain Yes and No', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    expect(await json(await s.call('POST', `/runs/${runId}/approve`, { body: { option: 'Modify', feedback: 'x' } }))).toEqual({ error: "option: the gate has no option 'Modify' (its options: Yes, No)" });
  });

  it('sends the page a waiting gate’s options, and takes Modify of [Yes, Modify] as a yes with changes, not the no', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger, ['Yes', 'Modify']);
    const view = await json(await s.call('GET', `/runs/${runId}`));
    expect(view.waiting).toEqual([expect.objectContaining({ id: gateId, options: ['Yes', 'Modify'], no_option: 'No', needs_feedback: ['Modify'] })]);
    const response = await s.call('POST', `/runs/${runId}/approve`, { body: { option: 'Modify', feedback: 'smaller steps' } });
    expect([response.status, await json(response)]).toEqual([200, expect.objectContaining({ answer: 'approved', option: 'Modify' })]);
  });

  it('answers the gate of an orchestrator run that choiros did not start, leaving the rest to the orchestrator', async () => {
    const s = await start();
    const pr = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'seo.validate', run_id: 'nightly-7', status: 'awaiting_approval', approval_state: 'pending', outputs_uri: 'https://github.com/u/r/pull/9' } }));
    expect(s.ledger.run('nightly-7')).toMatchObject({ status: 'awaiting_approval', origin: 'external' });
    const approved = await json(await s.call('POST', '/runs/nightly-7/approve', { body: { by: 'bob' } }));
    expect(approved).toMatchObject({ task: { id: pr.id, approval_state: 'approved', approver: 'bob' }, continued: null, next: null, note: 'Recorded on the task: the orchestrator that logged it reads the answer from there.' });
    expect(s.ledger.events({ runId: 'nightly-7' }).some((e) => e.event.type === 'run.continued')).toBe(false);
  });
});

describe('runs an orchestrator logs through the task API', () => {
  it('become runs with their first task: listed, viewed with a stage per task, streamed, their status following their tasks', async () => {
    const s = await start();
    const reader = new SseReader(await s.call('GET', '/events'));
    try {
      const lint = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'lint', run_id: 'ci-1', status: 'running' } }));
      expect((await reader.nextEvent()).data).toMatchObject({ run_id: 'ci-1', type: 'run.started', text: 'run started: external, logged through the task API' });
      const list = await json(await s.call('GET', '/runs', { auth: false }));
      expect(list.items.map((r: Json) => [r.id, r.program, r.status, r.origin])).toEqual([['ci-1', 'external', 'running', 'external']]);

      const view = await json(await s.call('GET', '/runs/ci-1', { auth: false }));
      expect(view.play.stages.map((st: Json) => [st.name, st.status])).toEqual([['lint', 'active']]);
      expect(view.play).toMatchObject({ status: 'running', current_stage: 'lint', next_action: { kind: 'wait', stage: 'lint' } });
      expect(view.tasks.map((t: Json) => t.id)).toEqual([lint.id]);

      const stream = new SseReader(await s.call('GET', '/events?run_id=ci-1'));
      let test: Json;
      try {
        test = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'test', run_id: 'ci-1', stage: 'check', status: 'running' } }));
        expect((await stream.nextEvent()).data).toMatchObject({ run_id: 'ci-1', type: 'task.created', data: { taskId: test.id, stage: 'check' } });
        expect((await s.call('PATCH', `/agents/tasks/${lint.id}`, { body: { status: 'succeeded' } })).status).toBe(200);
        expect(s.ledger.run('ci-1').status).toBe('running');
        await s.call('PATCH', `/agents/tasks/${test.id}`, { body: { status: 'failed', reason: 'exit 1' } });
        expect(s.ledger.run('ci-1')).toMatchObject({ status: 'failed', reason: `task ${test.id} (test) failed: exit 1` });
        const play = await stream.nextPlay();
        expect(play).toMatchObject({ run: { id: 'ci-1' } });
      } finally {
        await stream.cancel();
      }
      const failed = await json(await s.call('GET', '/runs/ci-1', { auth: false }));
      expect(failed.play.stages.map((st: Json) => [st.name, st.status])).toEqual([
        ['lint', 'done'],
        ['check', 'failed'],
      ]);
      expect(failed.play).toMatchObject({ status: 'failed', health: 'off track', next_action: { kind: 'investigate', command: null } });

      // A retry that passes: the run goes on, then ends succeeded.
      const retry = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'test', run_id: 'ci-1', stage: 'check', status: 'running', attempt: 2 } }));
      expect(s.ledger.run('ci-1')).toMatchObject({ status: 'running', finishedAt: null });
      await s.call('PATCH', `/agents/tasks/${retry.id}`, { body: { status: 'succeeded' } });
      const done = await json(await s.call('GET', '/runs/ci-1', { auth: false }));
      expect(done.run).toMatchObject({ status: 'succeeded' });
      expect(done.play.stages.map((st: Json) => [st.name, st.status, st.retries])).toEqual([
        ['lint', 'done', 0],
        ['check', 'done', 1],
      ]);
      expect(done.history.map((h: Json) => h.text)).toEqual(expect.arrayContaining([`run failed: task ${test.id} (test) failed: exit 1`, 'run continues', 'run succeeded']));
    } finally {
      await reader.cancel();
    }
  });

  it('refuses to pause or resume them: choiros does not drive them', async () => {
    const s = await start();
    await s.call('POST', '/agents/tasks/', { body: { task: 'deploy', run_id: 'ci-2', status: 'running' } });
    for (const action of ['pause', 'resume']) {
      const refused = await s.call('POST', `/runs/ci-2/${action}`);
      expect([refused.status, await json(refused)]).toEqual([409, { error: `Run ci-2 is not a choiros-driven run: an external orchestrator logs it through the task API, so choiros cannot ${action} it.` }]);
    }
    const approve = await s.call('POST', '/runs/ci-2/approve');
    expect([approve.status, await json(approve)]).toEqual([409, { error: 'Run ci-2 has no gate waiting for approval.' }]);
    expect((await s.call('POST', '/runs/ci-404/pause')).status).toBe(404);
    expect((await s.call('POST', '/runs/ci-404/approve')).status).toBe(404);
  });

  it('keeps a task logged under a choiros run in that run', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    await s.call('POST', '/agents/tasks/', { body: { task: 'ci.extra', run_id: runId, status: 'failed' } });
    expect(s.ledger.run(runId)).toMatchObject({ status: 'running', origin: 'choiros' });
    expect((await json(await s.call('GET', '/runs', { auth: false }))).items).toHaveLength(1);
  });
});

describe('run control', () => {
  it('asks a run to pause, then to resume, each once, through the ledger', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const paused = await s.call('POST', `/runs/${runId}/pause`, { body: { by: 'carol' } });
    expect(paused.status).toBe(202);
    expect(await json(paused)).toMatchObject({ requested: 'pause', run: { control: 'pause' }, next: null });
    expect(s.ledger.events({ runId }).at(-1)?.event).toEqual({ type: 'run.control', control: 'pause', by: 'carol' });
    expect(await json(await s.call('POST', `/runs/${runId}/pause`))).toEqual({ error: `Run ${runId} is already asked to pause.` });
    const resumed = await json(await s.call('POST', `/runs/${runId}/resume`));
    expect(resumed).toMatchObject({ requested: 'resume', run: { control: null } });
    expect(await json(await s.call('POST', `/runs/${runId}/resume`))).toEqual({ error: `Run ${runId} is not paused (it is running).` });
  });

  it('says how to continue a run that already stopped paused, and refuses to pause a finished one', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    s.ledger.finishRun(runId, 'paused');
    expect(await json(await s.call('POST', `/runs/${runId}/resume`))).toMatchObject({ next: `prose resume ${runId}` });
    s.ledger.finishRun(runId, 'succeeded');
    const refused = await s.call('POST', `/runs/${runId}/pause`);
    expect([refused.status, await json(refused)]).toEqual([409, { error: `Run ${runId} already ended (succeeded); there is nothing to pause.` }]);
  });
});

describe('cancel', () => {
  it('asks a running run to cancel through the ledger, as choiros cancel does, once', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const response = await s.call('POST', `/runs/${runId}/cancel`, { body: { by: 'carol' } });
    expect(response.status).toBe(202);
    expect(await json(response)).toMatchObject({ requested: 'cancel', cancelled: false, ended: [], run: { id: runId, status: 'running', control: 'cancel' } });
    expect(s.ledger.events({ runId }).at(-1)?.event).toEqual({ type: 'run.control', control: 'cancel', by: 'carol' });
    expect(await json(await s.call('POST', `/runs/${runId}/cancel`))).toEqual({ error: `Run ${runId} is already asked to cancel.` });
  });

  it('cancels a run that stopped at its gate here and now: the gate is skipped, the run recorded cancelled', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger);
    s.ledger.finishRun(runId, 'awaiting_approval');
    // The status in words comes with the run, so the page does not derive them.
    expect((await json(await s.call('GET', `/runs/${runId}`))).run).toMatchObject({ status: 'awaiting_approval', status_text: 'awaiting approval' });
    const response = await s.call('POST', `/runs/${runId}/cancel`, { body: { by: 'dave' } });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ requested: 'cancel', cancelled: true, ended: [], run: { status: 'cancelled', reason: 'cancelled by dave while awaiting approval' } });
    expect(s.ledger.task(gateId)).toMatchObject({ status: 'skipped', reason: 'cancelled' });
    const refused = await s.call('POST', `/runs/${runId}/cancel`);
    expect([refused.status, await json(refused)]).toEqual([409, { error: `Run ${runId} already ended (cancelled); there is nothing to cancel.` }]);
  });

  it('asks, as choiros cancel does, a run its own prose resume holds the lock of before it records going on', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'choiros-lock-'));
    const lock = join(folder, 'run.lock');
    const s = await start({ runLock: lock });
    const { runId, gateId } = runAtGate(s.ledger);
    s.ledger.finishRun(runId, 'awaiting_approval');
    const held = acquireLock(lock, `resuming ${runId}`, { run: runId });
    try {
      const response = await s.call('POST', `/runs/${runId}/cancel`, { body: { by: 'erin' } });
      expect([response.status, await json(response)]).toEqual([202, expect.objectContaining({ cancelled: false, run: expect.objectContaining({ status: 'awaiting_approval', control: 'cancel' }) })]);
      // Left to the resume, which reads the request once it goes on: nothing is cancelled under it.
      expect(s.ledger.task(gateId).status).toBe('awaiting_approval');
    } finally {
      if (held.ok) held.release();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('needs the token, knows the run, and refuses a run choiros does not drive', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const unauthorized = await s.call('POST', `/runs/${runId}/cancel`, { auth: false });
    expect(unauthorized.status).toBe(401);
    expect((await s.call('POST', `/runs/${runId}/cancel`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    expect(s.ledger.run(runId).control).toBeNull();
    const unknown = await s.call('POST', '/runs/run-nope/cancel');
    expect([unknown.status, await json(unknown)]).toEqual([404, { error: "There is no run 'run-nope'." }]);
    await s.call('POST', '/agents/tasks/', { body: { task: 'lint', run_id: 'ci-9', status: 'running' } });
    const external = await s.call('POST', '/runs/ci-9/cancel');
    expect([external.status, await json(external)]).toEqual([409, { error: 'Run ci-9 is not a choiros-driven run: an external orchestrator logs it through the task API, so choiros cannot cancel it.' }]);
    expect(await json(await s.call('POST', `/runs/${runId}/cancel`, { body: { why: 'x' } }))).toEqual({ error: 'why: unknown field' });
  });
});

describe('authorization', () => {
  it('refuses every change without the token, with a wrong one, or with another scheme; reads on loopback are open', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const attempts = [
      s.call('POST', '/agents/tasks/', { auth: false, body: { task: 't', run_id: 'r' } }),
      s.call('PATCH', '/agents/tasks/1', { auth: false, body: { status: 'failed' } }),
      s.call('POST', `/runs/${runId}/approve`, { auth: false }),
      s.call('POST', `/runs/${runId}/pause`, { headers: { authorization: 'Bearer wrong-token' } }),
      s.call('POST', `/runs/${runId}/resume`, { headers: { authorization: `Basic ${Buffer.from(`x:${s.token}`).toString('base64')}` } }),
    ];
    const statuses = await Promise.all(attempts.map(async (a) => (await a).status));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(s.ledger.task(1).status).toBe('succeeded');
    expect(s.ledger.run(runId).control).toBeNull();
    expect((await s.call('GET', `/runs/${runId}`, { auth: false })).status).toBe(200);
  });

  it('answers only to its own names on loopback (no DNS rebinding)', async () => {
    const s = await start();
    expect(await rawGet(s.server.port, '/health', { host: 'attacker.example:80' })).toEqual({ status: 421, body: JSON.stringify({ error: "Host 'attacker.example:80' is not this server" }) });
    expect((await rawGet(s.server.port, '/health', { host: `localhost:${s.server.port}` })).status).toBe(200);
  });

  it('needs the token for reads too when bound beyond loopback, but still serves the page itself', async () => {
    const s = await start({ host: '0.0.0.0' });
    expect((await s.call('GET', '/runs', { auth: false })).status).toBe(401);
    expect((await s.call('GET', '/events', { auth: false })).status).toBe(401);
    expect((await s.call('GET', '/runs')).status).toBe(200);
    expect((await s.call('GET', '/', { auth: false })).status).toBe(200);
  });
});

describe('signing a browser in', () => {
  it('turns a one-time code into an HttpOnly SameSite=Strict session that may change things from its own origin only', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const code = new URL(s.server.loginUrl()).searchParams.get('code') ?? '';
    const login = await s.call('GET', `/login?code=${code}`, { auth: false });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^choiros_session_${s.server.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    const session = cookie.split(';')[0] ?? '';
    expect(cookie).not.toContain(s.token);
    const reused = await s.call('GET', `/login?code=${code}`, { auth: false });
    expect([reused.status, reused.headers.get('location'), reused.headers.get('set-cookie')]).toEqual([303, '/login?error=code', null]);

    expect(await json(await s.call('GET', '/session', { auth: false, headers: { cookie: session } }))).toEqual({ signed_in: true, can_write: true, open_reads: true });
    const foreign = await s.call('POST', `/runs/${runId}/pause`, { auth: false, headers: { cookie: session, origin: 'http://127.0.0.1:5173' } });
    expect([foreign.status, await json(foreign)]).toEqual([403, { error: "origin: 'http://127.0.0.1:5173' is not this server's page" }]);
    expect((await s.call('POST', `/runs/${runId}/pause`, { auth: false, headers: { cookie: session } })).status).toBe(403);
    const own = await s.call('POST', `/runs/${runId}/pause`, { auth: false, headers: { cookie: session, origin: s.url } });
    expect(own.status).toBe(202);
    await s.call('POST', '/logout', { auth: false, headers: { cookie: session } });
    expect((await s.call('POST', `/runs/${runId}/resume`, { auth: false, headers: { cookie: session, origin: s.url } })).status).toBe(401);
  });

  it('signs in with the token pasted into the form, and sends a wrong one back to the form', async () => {
    const s = await start();
    const form = (token: string) => s.call('POST', '/login', { auth: false, body: `token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: s.url } });
    const wrong = await form('not-the-token');
    expect([wrong.status, wrong.headers.get('location')]).toEqual([303, '/login?error=token']);
    const right = await form(s.token);
    expect(right.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await s.call('GET', '/login', { auth: false });
    expect(await page.text()).toContain('<form method="post" action="/login">');
  });
});

describe('the rest of the surface', () => {
  it('serves the dashboard with a strict content security policy, health, metrics, and JSON errors for the unknown', async () => {
    const s = await start();
    runAtGate(s.ledger);
    const page = await s.call('GET', '/', { auth: false });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    expect((await s.call('GET', '/app.js', { auth: false })).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const health = await json(await s.call('GET', '/health', { auth: false }));
    expect(health).toMatchObject({ status: 'ok', version: '0.0.0-test', active_runs: 1, awaiting_approval: 1, streams: 0, project_health: null });
    const metrics = await (await s.call('GET', '/metrics', { auth: false })).text();
    expect(metrics).toContain('choiros_play_runs{status="running"} 1');
    expect(metrics).toContain('choiros_play_active_runs{stage="review"} 1');
    const missing = await s.call('GET', '/nope', { auth: false });
    expect([missing.status, await json(missing)]).toEqual([404, { error: 'Not found: /nope' }]);
    const method = await s.call('DELETE', '/agents/tasks/1');
    expect([method.status, method.headers.get('allow'), await json(method)]).toEqual([405, 'GET, PATCH', { error: 'method: DELETE is not allowed on /agents/tasks/1 (allowed: GET, PATCH)' }]);
  });
});
