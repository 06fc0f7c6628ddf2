/**
 * `GET /events`: the ledger's event stream over SSE. One tailer reads new events by `seq` for
 * every client — woken by the file system when the ledger's WAL changes, by this server's own
 * writes, and by a fallback timer that asks SQLite whether another connection committed — so a
 * page never polls. A client that connects with Last-Event-ID (or `?after=`) first catches up
 * from the ledger, then joins the live stream without a gap or a repeat.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';
import type { Ledger } from '../ledger/ledger.js';
import type { StoredEvent } from '../ledger/model.js';
import { dataVersion, lastSeq } from '../ledger/serve-queries.js';
import { frame, MAX_BUFFERED, SseClient, STALL_MS } from './sse.js';
import { eventJson } from './views.js';

export interface HubOptions {
  /** The ledger file whose WAL is watched; undefined watches nothing (the timer still runs). */
  ledgerPath?: string;
  /** Fallback check for commits by other processes. */
  pollMs?: number;
  /** A comment line that keeps proxies and dead-connection detection honest. */
  heartbeatMs?: number;
  /** The browser's reconnect delay. */
  retryMs?: number;
  maxClients?: number;
  maxBuffered?: number;
  /** A client that is behind and does not drain for this long is dropped. */
  stallMs?: number;
  redact: <T>(value: T) => T;
  /** Told about new events (the live play views use it). */
  onEvents?: (events: readonly StoredEvent[]) => void;
  /** Told about a client that joined the live stream. */
  onJoin?: (client: SseClient) => void;
  onLeave?: (client: SseClient) => void;
  /** A failed read of the ledger (busy, gone): reported, and tried again at the next wake-up. */
  onError?: (error: unknown) => void;
}

const BATCH = 500;

export class EventHub {
  readonly clients = new Set<SseClient>();
  private seq: number;
  private version: number;
  private readonly timers: NodeJS.Timeout[] = [];
  private watcher: FSWatcher | undefined;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly options: HubOptions,
  ) {
    this.seq = lastSeq(ledger);
    this.version = dataVersion(ledger);
    this.timers.push(setInterval(() => this.check(), options.pollMs ?? 250).unref());
    this.timers.push(setInterval(() => this.heartbeat(), options.heartbeatMs ?? 15_000).unref());
    if (options.ledgerPath !== undefined) this.watchWal(options.ledgerPath);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Serves one stream until the client leaves; `after` is where it resumes (default: now). */
  async subscribe(res: ServerResponse, filter: { runId?: string; after?: number }): Promise<void> {
    if (this.clients.size === 0) {
      // Nobody was listening, so nobody tailed: start from the ledger as it is now.
      this.seq = lastSeq(this.ledger);
      this.version = dataVersion(this.ledger);
    }
    const client = new SseClient(res, filter.runId, filter.after ?? this.seq, this.options.maxBuffered ?? MAX_BUFFERED);
    client.open(this.options.retryMs ?? 2000);
    this.clients.add(client);
    res.once('close', () => {
      this.clients.delete(client);
      this.options.onLeave?.(client);
    });
    await this.follow(client);
    if (!client.closed) this.options.onJoin?.(client);
  }

  /** Reads new events now (after this server wrote some, or when the WAL changed). */
  poke(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.watcher?.close();
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private watchWal(path: string): void {
    const wal = `${basename(path)}-wal`;
    try {
      this.watcher = watch(dirname(path), { persistent: false }, (_type, name) => {
        if (name === wal) this.poke();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No inotify (or a file system without it): the timer alone finds new events.
    }
  }

  private check(): void {
    if (this.clients.size === 0 || this.closed) return;
    try {
      const version = dataVersion(this.ledger);
      if (version === this.version) return;
      this.version = version;
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    this.pump();
  }

  /** Reads every event after the tail and hands each to the live clients that want it; never throws. */
  private pump(): void {
    if (this.closed) return;
    try {
      this.pumpBatches();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private pumpBatches(): void {
    for (;;) {
      const events = this.ledger.events({ afterSeq: this.seq, limit: BATCH });
      if (events.length === 0) return;
      this.seq = events.at(-1)?.seq ?? this.seq;
      for (const client of this.clients) {
        if (client.live && !this.deliver(client, events)) void this.follow(client);
      }
      this.options.onEvents?.(events);
      if (events.length < BATCH) return;
    }
  }

  /** Writes the events the client wants; stops (false) as soon as it is behind or gone. */
  private deliver(client: SseClient, events: readonly StoredEvent[]): boolean {
    for (const e of events) {
      if (e.seq <= client.lastSent) continue;
      client.lastSent = e.seq;
      if (!client.wants(e.runId, e.event.type)) continue;
      if (!client.send(frame(JSON.stringify(this.options.redact(eventJson(e))), { id: e.seq }))) return false;
    }
    return !client.closed;
  }

  /**
   * Brings a client up to the tail from the ledger, batch by batch, as fast as its socket drains,
   * then puts it on the live tail. The switch happens right after a read that found nothing new,
   * with no await in between, so no event falls between the two.
   */
  private async follow(client: SseClient): Promise<void> {
    client.live = false;
    for (;;) {
      if (!(await client.drained(this.options.stallMs ?? STALL_MS))) return client.drop();
      if (this.closed) return;
      const events = this.ledger.events({ ...(client.runId === undefined ? {} : { runId: client.runId }), afterSeq: client.lastSent, limit: BATCH });
      if (events.length === 0) {
        // Nothing of its stream is left after lastSent: it has seen everything up to the tail.
        client.lastSent = Math.max(client.lastSent, this.seq);
        client.live = true;
        return;
      }
      this.deliver(client, events);
    }
  }

  private heartbeat(): void {
    const line = `: heartbeat ${new Date().toISOString()}\n\n`;
    for (const client of this.clients) if (client.live) client.send(line);
  }
}
