/**
 * One Server-Sent Events connection. Writes never wait: a client whose socket cannot keep up
 * piles up bytes in its own buffer, and past a cap it is dropped — its browser reconnects with
 * Last-Event-ID and catches up from the ledger, so nobody else waits for it and nothing is lost.
 */
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './http.js';

/** Bytes a client may leave unread before it is dropped. */
export const MAX_BUFFERED = 1024 * 1024;

export class SseClient {
  /** The last sequence number this client was sent (its Last-Event-ID). */
  lastSent: number;
  /** False while it catches up from the ledger: live events wait for it to finish. */
  live = false;
  closed = false;

  constructor(
    readonly res: ServerResponse,
    readonly runId: string | undefined,
    after: number,
    private readonly maxBuffered = MAX_BUFFERED,
  ) {
    this.lastSent = after;
    res.once('close', () => (this.closed = true));
  }

  /** Starts the stream: no buffering by proxies, and the browser's reconnect delay. */
  open(retryMs: number): void {
    this.res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    this.write(`retry: ${retryMs}\n\n`);
  }

  /** Returns false when the socket's buffer is full (the caller may wait for 'drain'). */
  send(frame: string): boolean {
    if (this.closed) return false;
    const ok = this.write(frame);
    if (this.res.writableLength > this.maxBuffered) this.drop();
    return ok && !this.closed;
  }

  /** Whether a ledger event belongs on this stream: its run's, plus every run's start and end so a view can follow the newest run. */
  wants(runId: string, type: string): boolean {
    return this.runId === undefined || this.runId === runId || type === 'run.started' || type === 'run.finished';
  }

  drop(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.destroy();
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  private write(frame: string): boolean {
    return this.res.write(frame);
  }
}

/** An SSE frame; `data` lines cannot hold a newline, JSON has none. */
export function frame(data: string, options: { id?: number; event?: string } = {}): string {
  return `${options.event === undefined ? '' : `event: ${options.event}\n`}${options.id === undefined ? '' : `id: ${options.id}\n`}data: ${data}\n\n`;
}
