import { describe, expect, it } from 'vitest';
import { SECRET, serverFixture } from './serve-fixture.js';

const start = serverFixture();

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('the task API', () => {
  it('creates a task as the seed API does, answering 201 with its row and where it lives', async () => {
    const s = await start();
    const response = await s.call('POST', '/agents/tasks/', { body: { task: 'seo.validate', run_id: 'nightly-2025-01-15', status: 'running', started_at: '2025-01-15T02:30:00Z', inputs: { flags: ['--strict', '--dry-run'] } } });
    expect(response.status).toBe(201);
    const task = await json(response);
    expect(response.headers.get('location')).toBe(`/agents/tasks/${String(task.id)}`);
    expect(task).toMatchObject({ task: 'seo.validate', run_id: 'nightly-2025-01-15', status: 'running', started_at: '2025-01-15T02:30:00.000Z', inputs: { flags: ['--strict', '--dry-run'] }, approval_state: null });
    expect(s.ledger.task(task.id as number).startedAt).toBe('2025-01-15T02:30:00.000Z');
  });

  it('gives a task logged as already ended its end time and duration', async () => {
    const s = await start();
    const task = await json(await s.call('POST', '/agents/tasks', { body: { task: 'code.review', run_id: 'n1', status: 'succeeded', started_at: '2025-01-15T02:30:00Z', finished_at: '2025-01-15T02:35:00Z' } }));
    expect(task).toMatchObject({ status: 'succeeded', finished_at: '2025-01-15T02:35:00.000Z', duration_ms: 300_000 });
  });

  it('updates a task: a legal status change with its fields, then refuses an illegal one with 409 and records the deviation', async () => {
    const s = await start();
    const created = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'seo.validate', run_id: 'n1', status: 'running', started_at: '2025-01-15T02:30:00Z' } }));
    const id = created.id as number;
    const updated = await s.call('PATCH', `/agents/tasks/${id}`, { body: { status: 'succeeded', finished_at: '2025-01-15T02:35:00Z', duration_ms: 300000, outputs_uri: 'https://github.com/user/repo/pull/123' } });
    expect(updated.status).toBe(200);
    expect(await json(updated)).toMatchObject({ status: 'succeeded', duration_ms: 300000, outputs_uri: 'https://github.com/user/repo/pull/123', finished_at: '2025-01-15T02:35:00.000Z' });
    const illegal = await s.call('PATCH', `/agents/tasks/${id}`, { body: { status: 'running' } });
    expect(illegal.status).toBe(409);
    expect(await json(illegal)).toEqual({ error: `Task ${id} cannot go from succeeded to running.` });
    expect(s.ledger.events({ runId: 'n1' }).at(-1)?.event).toMatchObject({ type: 'deviation', kind: 'InvalidTransition', detail: `task ${id} (seo.validate): succeeded -> running` });
    expect(s.ledger.task(id).status).toBe('succeeded');
  });

  it('sets fields without moving a task when the status is the one it has', async () => {
    const s = await start();
    const { id } = s.ledger.createTask({ task: 't', runId: 'r', status: 'running' });
    const response = await s.call('PATCH', `/agents/tasks/${id}`, { body: { status: 'running', log_excerpt: 'compiling…', webhook_notified_at: '2025-01-15T02:31:00Z' } });
    expect(await json(response)).toMatchObject({ status: 'running', log_excerpt: 'compiling…', webhook_notified_at: '2025-01-15T02:31:00.000Z' });
    expect(s.ledger.events({ runId: 'r' }).map((e) => e.event.type)).toEqual(['task.created']);
  });

  it('answers an orchestrator task that waits through the approval flow: the answer is an event, and a second one is refused', async () => {
    const s = await start();
    const gate = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'deploy.approve', run_id: 'nightly-9', status: 'awaiting_approval', approval_state: 'pending' } }));
    const id = gate.id as number;
    const answered = await s.call('PATCH', `/agents/tasks/${id}`, { body: { approval_state: 'approved', approver: 'carol', feedback: 'go', log_excerpt: 'checked' } });
    expect(answered.status).toBe(200);
    expect(await json(answered)).toMatchObject({ status: 'awaiting_approval', approval_state: 'approved', approver: 'carol', feedback: 'go', log_excerpt: 'checked' });
    expect(s.ledger.events({ runId: 'nightly-9' }).filter((e) => e.event.type === 'task.approval').map((e) => e.event)).toEqual([
      { type: 'task.approval', taskId: id, state: 'approved', approver: 'carol', feedback: 'go' },
    ]);
    const again = await s.call('PATCH', `/agents/tasks/${id}`, { body: { approval_state: 'rejected', approver: 'dave' } });
    expect([again.status, await json(again)]).toEqual([409, { error: `Task ${id} was already approved by carol.` }]);
    const moved = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'third.approve', run_id: 'nightly-9', status: 'awaiting_approval' } }));
    const answeredAndMoved = await s.call('PATCH', `/agents/tasks/${moved.id as number}`, { body: { status: 'succeeded', approval_state: 'approved', approver: 'carol' } });
    expect(await json(answeredAndMoved)).toMatchObject({ status: 'succeeded', approval_state: 'approved', approver: 'carol' });
    expect(s.ledger.events({ runId: 'nightly-9' }).filter((e) => e.event.type === 'task.approval' && e.event.taskId === moved.id)).toHaveLength(1);
    const pending = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'other.approve', run_id: 'nightly-9', status: 'awaiting_approval' } }));
    const unanswered = await s.call('PATCH', `/agents/tasks/${pending.id as number}`, { body: { approval_state: 'pending', approver: 'erin' } });
    expect(unanswered.status).toBe(409);
    expect(s.ledger.task(pending.id as number).approver).toBeNull();
  });

  it("refuses answer fields on a task of a run choiros drives, pointing at the run's approve and reject", async () => {
    const s = await start();
    const run = s.ledger.createRun({ program: 'build.prose', programHash: 'h' });
    const { id } = s.ledger.createTask({ task: 'gate deploy', runId: run.id, status: 'awaiting_approval' });
    const response = await s.call('PATCH', `/agents/tasks/${id}`, { body: { approval_state: 'approved', approver: 'mallory' } });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({ error: `approval_state: task ${id} belongs to run ${run.id}, which choiros drives: answer its gate with POST /runs/${run.id}/approve or /reject` });
    expect(s.ledger.task(id)).toMatchObject({ approvalState: null, approver: null });
    expect(s.ledger.events({ runId: run.id }).some((e) => e.event.type === 'task.approval')).toBe(false);
    expect((await s.call('PATCH', `/agents/tasks/${id}`, { body: { log_excerpt: 'waiting for a human' } })).status).toBe(200);
    const skipped = await s.call('PATCH', `/agents/tasks/${id}`, { body: { status: 'skipped' } });
    expect([skipped.status, await json(skipped)]).toEqual([409, { error: `status: task ${id} belongs to run ${run.id}, which choiros drives: its runner moves it (stop the run with POST /runs/${run.id}/cancel)` }]);
    expect(s.ledger.task(id).status).toBe('awaiting_approval');
  });

  it.each([
    ['POST', '/agents/tasks/', { run_id: 'r' }, 'task: required'],
    ['POST', '/agents/tasks/', { task: 't', run_id: 'r', status: 'done' }, 'status: expected one of queued, running, succeeded, failed, awaiting_approval, skipped'],
    ['POST', '/agents/tasks/', { task: 't', run_id: 'r', started_at: 'yesterday' }, 'started_at: expected an ISO-8601 time (2025-01-15T02:30:00Z)'],
    ['POST', '/agents/tasks/', { task: 't', run_id: 'r', duration_ms: -5 }, 'duration_ms: expected a number ≥ 0'],
    ['POST', '/agents/tasks/', { task: 't', run_id: 'r', colour: 'blue' }, 'colour: unknown field'],
    ['POST', '/agents/tasks/', [1, 2], 'request body: expected a JSON object'],
    ['POST', '/agents/tasks/', '{"task": ', 'request body: not valid JSON'],
    ['PATCH', '/agents/tasks/1', {}, 'expected at least one field to change'],
    ['PATCH', '/agents/tasks/1', { approval_state: 'maybe' }, 'approval_state: expected one of pending, approved, rejected'],
    ['PATCH', '/agents/tasks/abc', { status: 'failed' }, "id: expected a task id (a whole number), got 'abc'"],
  ])('refuses %s %s %j with a 400 naming the field', async (method, path, body, message) => {
    const s = await start();
    s.ledger.createTask({ task: 't', runId: 'r', status: 'running' });
    const response = await s.call(method, path, { body });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: message });
  });

  it('answers 404 for unknown ids, 415 for a body that is not JSON, 413 for one too large', async () => {
    const s = await start();
    const missing = await s.call('PATCH', '/agents/tasks/999', { body: { status: 'failed' } });
    expect([missing.status, await json(missing)]).toEqual([404, { error: 'There is no task 999.' }]);
    expect((await s.call('GET', '/agents/tasks/999')).status).toBe(404);
    const form = await s.call('POST', '/agents/tasks/', { body: 'task=t&run_id=r', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, await json(form)]).toEqual([415, { error: 'request body: expected Content-Type application/json' }]);
    const huge = await s.call('POST', '/agents/tasks/', { body: { task: 't', run_id: 'r', log_excerpt: 'x'.repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    expect(s.ledger.pageTasks({}, 10).items).toEqual([]);
  });

  it('lists tasks with the legacy filters, newest first', async () => {
    const s = await start();
    s.ledger.createTask({ task: 'seo.validate', runId: 'n1', status: 'running', startedAt: '2025-01-15T02:30:00.000Z' });
    s.ledger.createTask({ task: 'code.review', runId: 'n1', status: 'awaiting_approval', startedAt: '2025-01-15T02:31:00.000Z' });
    s.ledger.createTask({ task: 'seo.validate', runId: 'n2', status: 'running', startedAt: '2025-01-16T02:30:00.000Z' });
    const names = async (query: string) => (await json<{ task: string; run_id: string }[]>(await s.call('GET', `/agents/tasks/${query}`, { auth: false }))).map((t) => `${t.run_id}/${t.task}`);
    expect(await names('')).toEqual(['n2/seo.validate', 'n1/code.review', 'n1/seo.validate']);
    expect(await names('?run_id=n1')).toEqual(['n1/code.review', 'n1/seo.validate']);
    expect(await names('?status=awaiting_approval')).toEqual(['n1/code.review']);
    expect(await names('?task=seo.validate&run_id=n2')).toEqual(['n2/seo.validate']);
    const bad = await s.call('GET', '/agents/tasks/?status=waiting');
    expect(await json(bad)).toEqual({ error: 'status: expected one of queued, running, succeeded, failed, awaiting_approval, skipped' });
  });

  it('pages every task exactly once with keyset cursors, honouring filters and since', async () => {
    const s = await start();
    s.ledger.transaction(() => {
      for (let i = 0; i < 25; i++) s.ledger.createTask({ task: i % 5 === 0 ? 'deploy' : 'build', runId: 'n', status: 'succeeded', startedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString() });
    });
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: number }[]; next_cursor: string | null } = await json(await s.call('GET', `/agents/tasks/paged?limit=10${cursor === null ? '' : `&cursor=${cursor}`}`));
      seen.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    const since = await json<{ items: { task: string; started_at: string }[] }>(await s.call('GET', '/agents/tasks/paged?task=deploy&since=2025-01-10T00:00:00Z'));
    expect(since.items.map((t) => t.started_at)).toEqual(['2025-01-21T00:00:00.000Z', '2025-01-16T00:00:00.000Z', '2025-01-11T00:00:00.000Z']);
  });

  it.each([
    ['cursor=not-a-cursor', 'cursor: Invalid cursor: pass the next_cursor of a previous page unchanged.'],
    ['limit=0', 'limit: expected a whole number from 1 to 1000'],
    ['limit=1001', 'limit: expected a whole number from 1 to 1000'],
    ['since=soon', 'since: expected an ISO-8601 time (2025-01-15T02:30:00Z)'],
    ['colour=blue', 'colour: unknown field'],
    ['limit=5&limit=6', 'limit: given more than once'],
  ])('refuses a page with %s', async (query, message) => {
    const s = await start();
    const response = await s.call('GET', `/agents/tasks/paged?${query}`);
    expect([response.status, await json(response)]).toEqual([400, { error: message }]);
  });

  it('exports CSV with the task fields, defuses formulas, and gives the cursor to continue', async () => {
    const s = await start();
    s.ledger.createTask({ task: '=HYPERLINK("http://evil")', runId: 'n', status: 'running', startedAt: '2025-01-01T00:00:00.000Z' });
    s.ledger.createTask({ task: 'build', runId: 'n', status: 'running', startedAt: '2025-01-02T00:00:00.000Z', inputs: { a: 1 } });
    const all = await s.call('GET', '/agents/tasks/paged.csv', { auth: false });
    expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="tasks.csv"');
    const lines = (await all.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,task,run_id,status,started_at,finished_at,duration_ms,inputs,outputs_uri,log_excerpt,approval_state,approver,webhook_notified_at');
    expect(lines[1]).toBe('2,build,n,running,2025-01-02T00:00:00.000Z,,,"{""a"":1}",,,,,');
    expect(lines[2]).toBe(`1,"'=HYPERLINK(""http://evil"")",n,running,2025-01-01T00:00:00.000Z,,,,,,,,`);
    const first = await s.call('GET', '/agents/tasks/paged.csv?limit=1');
    const cursor = first.headers.get('x-next-cursor');
    expect((await first.text()).split('\r\n')[1]).toMatch(/^2,build/);
    const rest = await s.call('GET', `/agents/tasks/paged.csv?limit=1&cursor=${cursor ?? ''}`);
    expect(rest.headers.get('x-next-cursor')).toBeNull();
    expect((await rest.text()).split('\r\n')[1]).toMatch(/^1,/);
    expect(await json(await s.call('GET', '/agents/tasks/paged.csv?limit=10001'))).toEqual({ error: 'limit: expected a whole number from 1 to 10000' });
  });

  it('never lets a secret out: not in JSON, not in CSV', async () => {
    const s = await start();
    const created = await json(await s.call('POST', '/agents/tasks/', { body: { task: 'notify', run_id: 'n', log_excerpt: `posting to ${SECRET}` } }));
    expect(created.log_excerpt).toBe('posting to [redacted]');
    expect(JSON.stringify(await json(await s.call('GET', '/agents/tasks/paged')))).not.toContain('very-secret-hook');
    expect(await (await s.call('GET', '/agents/tasks/paged.csv')).text()).toContain('posting to [redacted]');
  });
});
