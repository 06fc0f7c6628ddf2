import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { frame, SseClient } from '../../../src/server/sse.js';

/** A response whose socket never reads: what is written stays buffered. */
class StuckResponse extends EventEmitter {
  written: string[] = [];
  writableLength = 0;
  destroyed = false;
  writeHead() {
    return this;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.written.push(chunk);
    this.writableLength += chunk.length;
    return this.writableLength < 16;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
  end() {
    this.emit('close');
  }
  drain() {
    this.writableLength = 0;
    this.emit('drain');
  }
}

function client(res: StuckResponse, runId?: string): SseClient {
  return new SseClient(res as unknown as ServerResponse, runId, 0, 100);
}

describe('an SSE client', () => {
  it('writes frames with ids and event names, data on one line', () => {
    expect(frame('{"a":1}', { id: 7 })).toBe('id: 7\ndata: {"a":1}\n\n');
    expect(frame('{}', { event: 'play' })).toBe('event: play\ndata: {}\n\n');
  });

  it('falls behind past its buffer cap, and is told when it drained', async () => {
    const res = new StuckResponse();
    const c = client(res);
    c.open(2000);
    expect(res.written).toEqual(['retry: 2000\n\n']);
    expect(c.send('x'.repeat(50))).toBe(true);
    expect(c.send('x'.repeat(60))).toBe(false);
    expect(c.behind).toBe(true);
    const drained = c.drained(1000);
    res.drain();
    expect(await drained).toBe(true);
    expect(c.behind).toBe(false);
  });

  it('reports a stall when the socket does not drain in time', async () => {
    const res = new StuckResponse();
    const c = client(res);
    c.send('x'.repeat(200));
    expect(await c.drained(20)).toBe(false);
    c.drop();
    expect([res.destroyed, c.closed]).toEqual([true, true]);
  });

  it('wants its run’s events and every run’s start and end', () => {
    const c = client(new StuckResponse(), 'run-a');
    expect([c.wants('run-a', 'checkpoint'), c.wants('run-b', 'checkpoint'), c.wants('run-b', 'run.started'), c.wants('run-b', 'run.finished')]).toEqual([true, false, true, true]);
    expect(client(new StuckResponse()).wants('run-b', 'checkpoint')).toBe(true);
  });
});
