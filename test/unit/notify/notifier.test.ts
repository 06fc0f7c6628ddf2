import { describe, expect, it } from 'vitest';
import type { NotifyConfig } from '../../../src/config/schema.js';
import type { TaskPatch } from '../../../src/ledger/ledger.js';
import type { LedgerEvent, Run, StoredEvent, Task } from '../../../src/ledger/model.js';
import { sign, type Post } from '../../../src/notify/deliver.js';
import { Notifier, type NotifierLedger } from '../../../src/notify/notifier.js';
import { collectSecrets, Redactor } from '../../../src/notify/redact.js';

const run: Run = { id: 'run-1', program: 'prose/build.prose', programHash: 'h', args: {}, mode: null, status: 'running', reason: null, startedAt: '2026-11-22T10:00:00.000Z', finishedAt: null, pid: 1, control: null, origin: 'choiros' };
const task: Task = {
  id: 7, task: 'session:rex', runId: 'run-1', status: 'awaiting_approval', reason: null, stage: 'implementation', step: null, attempt: 1, agent: 'rex',
  startedAt: run.startedAt, finishedAt: null, durationMs: null, inputs: null, outputs: null, outputsUri: 'https://github.com/acme/app/pull/42',
  logExcerpt: 'token=s3cr3t-token-value\nopened PR', approvalState: 'pending', approver: null, feedback: null, webhookNotifiedAt: null,
};

class FakeLedger implements NotifierLedger {
  readonly appended: LedgerEvent[] = [];
  readonly patches: TaskPatch[] = [];
  status: Run['status'] = 'running';
  run = () => ({ ...run, status: this.status });
  findTask = (id: number) => (id === task.id ? task : undefined);
  updateTask = (_id: number, patch: TaskPatch) => {
    this.patches.push(patch);
    return task;
  };
  readonly streams: string[] = [];
  append = (runId: string, event: LedgerEvent) => {
    this.appended.push(event);
    this.streams.push(runId);
    return { seq: this.appended.length, runId, taskId: null, time: '', event };
  };
}

const approval: StoredEvent = { seq: 3, runId: 'run-1', taskId: 7, time: '', event: { type: 'task.transition', taskId: 7, from: 'running', to: 'awaiting_approval', reason: null } };

function setup(targets: NotifyConfig[], responses: number[], env: NodeJS.ProcessEnv = {}) {
  const ledger = new FakeLedger();
  const posts: { url: string; body: string; headers: Record<string, string> }[] = [];
  const sleeps: number[] = [];
  const errors: string[] = [];
  const post: Post = async (url, body, headers) => {
    posts.push({ url, body, headers });
    return { status: responses.shift() ?? 200, retryAfter: null };
  };
  const notifier = new Notifier({ targets, env, ledger, post, sleep: async (ms) => void sleeps.push(ms), now: () => '2026-11-22T10:05:00.000Z', onError: (m) => errors.push(m) });
  return { ledger, posts, sleeps, errors, notifier };
}

describe('Notifier', () => {
  it('posts a Slack {text} and a signed generic payload, then records the delivery and webhook_notified_at', async () => {
    const env = { SLACK_WEBHOOK: 'https://hooks.example/T000/B000/XXXXSECRET', HOOK_SECRET: 'hmac-key-123' };
    const { ledger, posts, notifier } = setup([{ kind: 'slack', url: '${SLACK_WEBHOOK}' }, { kind: 'webhook', url: 'http://127.0.0.1:1/hook', secret: '${HOOK_SECRET}' }], [], env);
    notifier.handle(approval);
    await notifier.idle();
    expect(posts[0]?.url).toBe(env.SLACK_WEBHOOK);
    expect(JSON.parse(posts[0]?.body ?? '')).toEqual({ text: 'Task session:rex (7) of run run-1 awaiting approval: https://github.com/acme/app/pull/42\nNext: `choiros approve 7`' });
    const generic = JSON.parse(posts[1]?.body ?? '') as Record<string, unknown>;
    expect(generic).toMatchObject({ event: 'awaiting_approval', run_id: 'run-1', task: 'session:rex', task_id: 7, status: 'awaiting_approval', outputs_uri: 'https://github.com/acme/app/pull/42', links: [{ label: 'outputs', url: 'https://github.com/acme/app/pull/42' }], resume_command: 'choiros approve 7' });
    expect(posts[1]?.headers['x-choiros-signature-256']).toBe(sign('hmac-key-123', posts[1]?.body ?? ''));
    expect(posts[0]?.headers['x-choiros-signature-256']).toBeUndefined();
    expect(ledger.appended).toEqual([
      { type: 'notify', target: 'slack[0]', event: 'awaiting_approval', ok: true, attempts: 1 },
      { type: 'notify', target: 'webhook[1]', event: 'awaiting_approval', ok: true, attempts: 1 },
    ]);
    expect(ledger.patches).toEqual([{ webhookNotifiedAt: '2026-11-22T10:05:00.000Z' }, { webhookNotifiedAt: '2026-11-22T10:05:00.000Z' }]);
  });

  it('links the run page, outputs, failure digest, report and run folder it is given, and names the task a failed run failed on', async () => {
    const failedTask: Task = { ...task, id: 9, task: 'exec npm test', status: 'failed', reason: 'exit 1', outputsUri: null, logExcerpt: 'npm ERR! 2 failing' };
    const ledger = new (class extends FakeLedger {
      tasksOfRun = () => [task, failedTask];
    })();
    ledger.status = 'failed';
    const posts: string[] = [];
    const post: Post = async (_url, body) => (posts.push(body), { status: 200, retryAfter: null });
    const places = (runId: string, stopped: boolean) => ({ runFolder: `/logs/${runId}`, report: stopped ? `/logs/${runId}/report.md` : null, digest: `/logs/${runId}/digest-2.md`, runPage: `https://dash.example/?run=${runId}` });
    const notifier = new Notifier({ targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/w' }, { kind: 'slack', url: 'http://127.0.0.1:1/s' }], env: {}, ledger, post, places });
    notifier.handle({ seq: 9, runId: 'run-1', taskId: null, time: '', event: { type: 'run.finished', status: 'failed', reason: 'exec npm test failed' } });
    await notifier.idle();
    expect(JSON.parse(posts[0] ?? '')).toMatchObject({
      event: 'failed',
      task: 'exec npm test',
      task_id: 9,
      log_excerpt: 'npm ERR! 2 failing',
      links: [
        { label: 'run page', url: 'https://dash.example/?run=run-1' },
        { label: 'failure digest', url: '/logs/run-1/digest-2.md' },
        { label: 'report', url: '/logs/run-1/report.md' },
        { label: 'run folder', url: '/logs/run-1' },
      ],
    });
    expect(JSON.parse(posts[1] ?? '')).toEqual({ text: 'Task exec npm test (9) of run run-1 failed: exit 1\nNext: `prose resume run-1`\nhttps://dash.example/?run=run-1\n/logs/run-1/digest-2.md' });
  });

  it('retries 5xx with exponential backoff and gives up on other 4xx at once', async () => {
    const retried = setup([{ kind: 'webhook', url: 'http://127.0.0.1:1/a' }], [500, 503, 200]);
    retried.notifier.handle(approval);
    expect(await retried.notifier.idle()).toEqual([{ ok: true, attempts: 3, status: 200, error: null, target: 'webhook[0]', event: 'awaiting_approval' }]);
    expect(retried.sleeps).toEqual([1000, 2000]);

    const refused = setup([{ kind: 'webhook', url: 'http://127.0.0.1:1/a' }], [404]);
    refused.notifier.handle(approval);
    expect(await refused.notifier.idle()).toEqual([expect.objectContaining({ ok: false, attempts: 1, error: 'HTTP 404' })]);
    expect(refused.ledger.appended).toEqual([{ type: 'notify', target: 'webhook[0]', event: 'awaiting_approval', ok: false, attempts: 1 }]);
    expect(refused.ledger.patches).toEqual([]);
    expect(refused.errors).toEqual(['notify webhook[0] (awaiting_approval, run run-1): HTTP 404 after 1 attempt(s)']);
  });

  it('sends only the events a target asks for, and nothing for events that need no one', async () => {
    const { ledger, posts, notifier } = setup([{ kind: 'slack', url: 'http://127.0.0.1:1/s', on: ['finished'] }], []);
    notifier.handle(approval);
    ledger.status = 'succeeded';
    notifier.handle({ seq: 4, runId: 'run-1', taskId: null, time: '', event: { type: 'stage.started', stage: 'x' } });
    notifier.handle({ seq: 5, runId: 'run-1', taskId: null, time: '', event: { type: 'run.finished', status: 'succeeded', reason: null } });
    await notifier.idle();
    expect(posts.map((p) => JSON.parse(p.body) as unknown)).toEqual([{ text: 'Run run-1 finished: succeeded' }]);
  });

  it('reports an unset ${VAR} by name without sending, and redacts secrets from payloads and errors', async () => {
    const env = { AGENT_TOKEN: 's3cr3t-token-value' };
    const { posts, errors, notifier } = setup([{ kind: 'slack', url: '${SLACK_WEBHOOK}' }, { kind: 'webhook', url: 'http://127.0.0.1:1/w' }], [], env);
    notifier.handle(approval);
    await notifier.idle();
    expect(errors).toEqual(['notify slack[0] (awaiting_approval, run run-1): slack[0] url uses ${SLACK_WEBHOOK}, which is not set after 0 attempt(s)']);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).not.toContain('s3cr3t-token-value');
    expect(posts[0]?.body).toContain('token=[redacted]');
  });

  it('announces a run\u2019s start and a warning or critical health score only to targets that list them', async () => {
    const { ledger, posts, notifier } = setup([{ kind: 'slack', url: 'http://127.0.0.1:1/s', on: ['started', 'health'] }, { kind: 'webhook', url: 'http://127.0.0.1:1/w', on: ['started', 'health'] }, { kind: 'webhook', url: 'http://127.0.0.1:1/default' }], []);
    notifier.handle({ seq: 1, runId: 'run-1', taskId: null, time: '', event: { type: 'run.started', program: 'prose/build.prose', args: {}, mode: 'autonomous' } });
    const health = (status: 'healthy' | 'warning' | 'critical', score: number, checkpoint: string | null = null): StoredEvent => ({
      seq: 2, runId: 'health', taskId: null, time: '', event: { type: 'health', score, status, checkpoint, parts: { critical_files: 60, config: 0, data: 100, assets: 100, dependencies: 100 } },
    });
    notifier.handle(health('healthy', 90));
    notifier.handle(health('critical', 42, 'checkpoint-20261122-100000'));
    await notifier.idle();
    const bodies = posts.map((p) => [new URL(p.url).pathname, JSON.parse(p.body) as Record<string, unknown>] as const);
    // A target without `on:` keeps the events that need someone: neither of these.
    expect(bodies.map(([path]) => path)).toEqual(['/s', '/w', '/s', '/w']);
    expect(bodies[0]?.[1]).toEqual({ text: 'Run run-1 started at 2026-11-22T10:00:00.000Z: prose/build.prose\nNext: `choiros play status --run run-1`' });
    expect(bodies[1]?.[1]).toMatchObject({ event: 'started', run_id: 'run-1', run: { started_at: '2026-11-22T10:00:00.000Z' }, status: 'running', health: null, resume_command: 'choiros play status --run run-1' });
    expect(bodies[2]?.[1]).toEqual({ text: 'Health critical (checkpoint checkpoint-20261122-100000): 42.0 / 100 — config 0%, critical files 60%\nNext: `choiros health`' });
    expect(bodies[3]?.[1]).toMatchObject({
      event: 'health', run_id: null, run: null, task: null, status: 'critical',
      health: { score: 42, status: 'critical', checkpoint: 'checkpoint-20261122-100000', parts: { config: 0, critical_files: 60 } },
      resume_command: 'choiros health',
    });
    // A score's delivery is recorded on the health stream, not on a run.
    expect(ledger.appended.map((e, i) => [e.type === 'notify' ? e.event : e.type, ledger.streams[i]]).filter(([event]) => event === 'health')).toEqual([['health', 'health'], ['health', 'health']]);
  });

  it('returns from handle before the delivery ends', async () => {
    let release: () => void = () => undefined;
    const ledger = new FakeLedger();
    const post: Post = () => new Promise((resolve) => (release = () => resolve({ status: 200, retryAfter: null })));
    const notifier = new Notifier({ targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/w' }], env: {}, ledger, post });
    notifier.handle(approval);
    expect(ledger.appended).toEqual([]);
    release();
    await notifier.idle();
    expect(ledger.appended).toHaveLength(1);
  });

  it('gives up at the drain bound what is still in flight or waiting to retry, and records it before resolving', async () => {
    const ledger = new FakeLedger();
    const errors: string[] = [];
    // One target never answers (until aborted); the other fails and waits a long backoff.
    const post: Post = (url, _body, _headers, _timeoutMs, signal) =>
      url.endsWith('/silent') ? new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))) : Promise.resolve({ status: 503, retryAfter: '3600' });
    const notifier = new Notifier({ targets: [{ kind: 'webhook', url: 'http://127.0.0.1:1/silent' }, { kind: 'webhook', url: 'http://127.0.0.1:1/busy' }], env: {}, ledger, post, onError: (m) => errors.push(m) });
    notifier.handle(approval);
    const started = Date.now();
    const deliveries = await notifier.drain(50);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(deliveries.map((d) => [d.target, d.ok, d.attempts])).toEqual([
      ['webhook[0]', false, 1],
      ['webhook[1]', false, 1],
    ]);
    expect(ledger.appended).toEqual([
      { type: 'notify', target: 'webhook[0]', event: 'awaiting_approval', ok: false, attempts: 1 },
      { type: 'notify', target: 'webhook[1]', event: 'awaiting_approval', ok: false, attempts: 1 },
    ]);
    expect(errors.join('\n')).toContain("not delivered before the run's process exited (it waits 0.1s for webhooks) (attempt 1 had no answer yet)");
    expect(errors.join('\n')).toContain('(last: HTTP 503)');
    notifier.handle(approval);
    expect(await notifier.idle()).toEqual([expect.objectContaining({ ok: false, attempts: 0 }), expect.objectContaining({ ok: false, attempts: 0 })]);
  });
});

describe('Redactor', () => {
  it('hides referenced and secret-named variables and literal config secrets, longest first', () => {
    const secrets = collectSecrets({ env: { SLACK_WEBHOOK: 'https://hooks/abc123', GITHUB_TOKEN: 'ghp_abcdef', PATH: '/usr/bin:/bin', SHORT_TOKEN: 'abc', MY_URL: 'https://x/y' }, configValues: ['${MY_URL}', 'literal-secret'] });
    expect(secrets.sort()).toEqual(['ghp_abcdef', 'https://hooks/abc123', 'https://x/y', 'literal-secret'].sort());
    const r = new Redactor([...secrets, 'https://hooks']);
    expect(r.redact('post https://hooks/abc123 with ghp_abcdef')).toBe('post [redacted] with [redacted]');
    expect(r.redactDeep({ a: ['literal-secret'], n: 1 })).toEqual({ a: ['[redacted]'], n: 1 });
  });
});
