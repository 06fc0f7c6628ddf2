import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { runAtGate, SECRET, serverFixture, SseReader, type Served } from './serve-fixture.js';

// Registered first, so it runs after the readers are cancelled (after-hooks run as a stack).
const start = serverFixture();
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.cancel();
});

async function stream(s: Served, path: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const response = await s.call('GET', path, { auth: false, headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = new SseReader(response);
  readers.push(reader);
  expect(await reader.next()).toBe('retry: 2000');
  return reader;
}

describe('GET /events', () => {
  it('streams an event another connection appends, with its seq as the SSE id, well within a second', async () => {
    const s = await start({ stream: { pollMs: 1000 } });
    const { runId } = runAtGate(s.ledger);
    const reader = await stream(s, '/events');
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = performance.now();
      const stored = s.ledger.append(runId, { type: 'checkpoint', name: `checkpoint-${i}`, commit: 'abc123', verdict: 'good' });
      const got = await reader.nextEvent();
      latencies.push(performance.now() - sent);
      expect(got.id).toBe(stored.seq);
      expect(got.data).toMatchObject({ seq: stored.seq, run_id: runId, type: 'checkpoint', text: `checkpoint checkpoint-${i} (good)`, data: { name: `checkpoint-${i}`, commit: 'abc123' } });
    }
    // The fallback poll is a second here: these arrive because the WAL watch wakes the tail.
    console.log(`SSE latency, ledger append → frame read (ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    expect(Math.max(...latencies)).toBeLessThan(500);
  });

  it('resumes after Last-Event-ID: everything after it, in order, once, then the live tail', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const all = s.ledger.events();
    const from = all[3]?.seq ?? 0;
    const reader = await stream(s, '/events?after=1', { 'last-event-id': String(from) });
    const seen: number[] = [];
    for (const _ of all.slice(4)) seen.push((await reader.nextEvent()).id);
    expect(seen).toEqual(all.slice(4).map((e) => e.seq));
    const live = s.ledger.append(runId, { type: 'rollback', target: 'checkpoint-1', undo: 'refs/choiros/pre-rollback/1' });
    expect((await reader.nextEvent()).id).toBe(live.seq);
  });

  it('starts from ?after= when the page opens its stream just after its snapshot', async () => {
    const s = await start();
    const { runId } = runAtGate(s.ledger);
    const last = s.ledger.events().at(-1)?.seq ?? 0;
    const missed = s.ledger.append(runId, { type: 'stage.finished', stage: 'review', status: 'succeeded' });
    const reader = await stream(s, `/events?after=${last}`);
    expect((await reader.nextEvent()).id).toBe(missed.seq);
  });

  it('keeps to one run when asked, plus every run’s start and end, and pushes the run’s recomputed view', async () => {
    const s = await start();
    const { runId, gateId } = runAtGate(s.ledger);
    const other = s.ledger.createRun({ program: 'other.prose', programHash: 'h2' });
    const reader = await stream(s, `/events?run_id=${runId}`);
    const first = await reader.nextPlay();
    expect(first).toMatchObject({ run: { id: runId }, waiting: [{ id: gateId }] });
    expect(first).not.toHaveProperty('history');
    s.ledger.append(other.id, { type: 'checkpoint', name: 'theirs', commit: 'x', verdict: 'good' });
    const third = s.ledger.createRun({ program: 'third.prose', programHash: 'h3' });
    s.ledger.answerApproval(gateId, { state: 'approved', approver: 'dana' });
    expect((await reader.nextEvent()).data).toMatchObject({ type: 'run.started', run_id: third.id });
    expect((await reader.nextEvent()).data).toMatchObject({ type: 'task.approval', run_id: runId, text: `task ${gateId} approved by dana` });
    const view = await reader.nextPlay();
    expect(view).toMatchObject({ run: { id: runId }, waiting: [] });
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const s = await start({ stream: { heartbeatMs: 100 } });
    const reader = await stream(s, '/events');
    expect(await reader.next(2000)).toMatch(/^: heartbeat \d{4}-/);
  });

  it('refuses a Last-Event-ID that is not a sequence number and a run that does not exist', async () => {
    const s = await start();
    const bad = await s.call('GET', '/events', { headers: { 'last-event-id': 'yesterday' } });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'Last-Event-ID: expected a sequence number' }]);
    expect((await s.call('GET', '/events?run_id=run-nope')).status).toBe(404);
    const head = await s.call('HEAD', '/events');
    expect([head.status, s.server.streams()]).toEqual([200, 0]);
  });

  it('redacts secrets in streamed events', async () => {
    const s = await start();
    const { runId, agentTaskId } = runAtGate(s.ledger);
    const reader = await stream(s, '/events');
    s.ledger.append(runId, { type: 'agent.output', taskId: agentTaskId, lines: [`curl -X POST ${SECRET}`] }, agentTaskId);
    expect((await reader.nextEvent()).data.data).toEqual({ taskId: agentTaskId, lines: ['curl -X POST [redacted]'] });
  });

  it('drops a client that stops reading, without holding up one that reads', async () => {
    const s = await start({ stream: { maxBuffered: 64 * 1024, stallMs: 500 } });
    const { runId, agentTaskId } = runAtGate(s.ledger);
    const reader = await stream(s, '/events');
    const stalled = connect(s.server.port, '127.0.0.1');
    stalled.on('error', () => undefined);
    stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${s.server.port}\r\n\r\n`);
    stalled.pause();
    await waitFor(() => s.server.streams() === 2, 5000, 'both streams to open');
    const line = 'x'.repeat(8 * 1024);
    let last = 0;
    // About 8 MiB: more than the kernel's socket buffers hold for a reader that never reads.
    s.ledger.transaction(() => {
      for (let i = 0; i < 1000; i++) last = s.ledger.append(runId, { type: 'agent.output', taskId: agentTaskId, lines: [line] }, agentTaskId).seq;
    });
    let got = 0;
    while (got !== last) got = (await reader.nextEvent()).id;
    await waitFor(() => s.server.streams() === 1, 5000, 'the stalled stream to be dropped');
    stalled.destroy();
  });

  it('ends every open stream when the server closes', async () => {
    const s = await start();
    const reader = await stream(s, '/events');
    await s.server.close();
    await expect(reader.next(2000)).rejects.toThrow(/stream ended|terminated/);
  });
});
