/**
 * Live play views for the page: a stream opened for one run (`/events?run_id=…`) also receives
 * `event: play` frames with the run's view, recomputed from a feed that folds only new events.
 * At most one per run every `throttleMs` however fast agents write, and one every `refreshMs`
 * without events, because health, "stuck" and the ETA move with the clock.
 */
import type { Ledger } from '../ledger/ledger.js';
import type { StoredEvent } from '../ledger/model.js';
import { ledgerPlaySource } from '../ledger/play-queries.js';
import { PlayFeed } from '../play/feed.js';
import { runView, type ViewOptions } from './run-view.js';
import { frame, type SseClient } from './sse.js';

interface Watch {
  feed: PlayFeed;
  clients: Set<SseClient>;
  lastSent: number;
  timer: NodeJS.Timeout | undefined;
}

export interface PlayPushOptions {
  throttleMs?: number;
  refreshMs?: number;
  now: () => number;
  artifactExists?: ViewOptions['artifactExists'];
  redact: <T>(value: T) => T;
  /** A failure to build a view is logged, never thrown into the stream. */
  onError: (error: unknown) => void;
}

/** The view as pushed: without the history (the page appends events itself) and the task list. */
export function liveView(view: ReturnType<typeof runView>) {
  const { history: _history, tasks: _tasks, ...rest } = view;
  return rest;
}

export class PlayPush {
  private readonly watches = new Map<string, Watch>();
  private readonly refresher: NodeJS.Timeout;

  constructor(
    private readonly ledger: Ledger,
    private readonly options: PlayPushOptions,
  ) {
    this.refresher = setInterval(() => {
      for (const runId of this.watches.keys()) this.schedule(runId);
    }, options.refreshMs ?? 5000).unref();
  }

  join(client: SseClient): void {
    const runId = client.runId;
    if (runId === undefined || this.ledger.findRun(runId) === undefined) return;
    let watch = this.watches.get(runId);
    if (watch === undefined) {
      watch = { feed: new PlayFeed(ledgerPlaySource(this.ledger), runId), clients: new Set(), lastSent: 0, timer: undefined };
      this.watches.set(runId, watch);
    }
    watch.clients.add(client);
    // A client that (re)connects gets the view now: it may have missed updates while away.
    this.sendTo(watch, [client]);
  }

  leave(client: SseClient): void {
    const watch = client.runId === undefined ? undefined : this.watches.get(client.runId);
    if (watch === undefined) return;
    watch.clients.delete(client);
    if (watch.clients.size === 0) {
      clearTimeout(watch.timer);
      this.watches.delete(client.runId ?? '');
    }
  }

  onEvents(events: readonly StoredEvent[]): void {
    const runs = new Set(events.map((e) => e.runId));
    for (const runId of runs) if (this.watches.has(runId)) this.schedule(runId);
  }

  close(): void {
    clearInterval(this.refresher);
    for (const watch of this.watches.values()) clearTimeout(watch.timer);
    this.watches.clear();
  }

  private schedule(runId: string): void {
    const watch = this.watches.get(runId);
    if (watch === undefined || watch.timer !== undefined) return;
    const wait = Math.max(0, watch.lastSent + (this.options.throttleMs ?? 250) - this.options.now());
    watch.timer = setTimeout(() => {
      watch.timer = undefined;
      this.sendTo(watch, [...watch.clients]);
    }, wait);
  }

  private sendTo(watch: Watch, clients: readonly SseClient[]): void {
    try {
      const now = this.options.now();
      const view = runView(this.ledger, watch.feed.runId, { now, history: false, ...(this.options.artifactExists === undefined ? {} : { artifactExists: this.options.artifactExists }) }, watch.feed);
      const data = frame(JSON.stringify(this.options.redact(liveView(view))), { event: 'play' });
      watch.lastSent = now;
      for (const client of clients) if (!client.closed && !client.behind) client.send(data);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
