/**
 * One Server-Sent Events connection. Writes never wait: past a cap of unread bytes a client is
 * "behind" and gets nothing more from the live tail; it reads on from the ledger at its own pace
 * once its socket drains (the ledger is the replay buffer), and is dropped if it never does.
 */
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './http.js';

/** Bytes a client may leave unread before it falls back to reading from the ledger. */
export const MAX_BUFFERED = 1024 * 1024;

/** How long a client that is behind may go without draining before it is dropped. */
export const STALL_MS = 30_000;

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

  /** Writes a frame; false when the client is now behind (or gone) and should get no more for now. */
  send(frame: string): boolean {
    if (this.closed) return false;
    this.write(frame);
    return !this.behind;
  }

  get behind(): boolean {
    return this.res.writableLength > this.maxBuffered;
  }

  /** Resolves true once the socket drained below the cap, false if it closed or stalled for `stallMs`. */
  drained(stallMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.behind) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.res.off('drain', onDrain).off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(false), stallMs);
      this.res.on('drain', onDrain).on('close', onClose);
    });
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

  private write(frame: string): void {
    this.res.write(frame);
  }
}

/** An SSE frame; `data` lines cannot hold a newline, JSON has none. */
export function frame(data: string, options: { id?: number; event?: string } = {}): string {
  return `${options.event === undefined ? '' : `event: ${options.event}\n`}${options.id === undefined ? '' : `id: ${options.id}\n`}data: ${data}\n\n`;
}
