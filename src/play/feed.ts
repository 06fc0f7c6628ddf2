import type { Run, StoredEvent } from '../ledger/model.js';
import type { PlayReport, PlayState, StageHistory, TrackOptions } from './model.js';
import { emptyPlay, foldEvents } from './state.js';
import { trackPlay } from './tracker.js';

/** Where a feed reads a run from: the ledger in production, an array in tests. */
export interface PlaySource {
  run(runId: string): Run;
  /** The run's events after `afterSeq`, oldest first. */
  events(runId: string, afterSeq: number): StoredEvent[];
  /** Durations of each stage in earlier runs of `program` that started before `before` (ISO). */
  stageHistory(program: string, before: string): StageHistory;
}

/**
 * A run kept current by applying only the events it has not seen: a live view pays for what
 * happened since its last frame, not for the whole run. History is read once.
 */
export class PlayFeed {
  readonly state: PlayState;
  private history: StageHistory | undefined;
  private run: Run;

  constructor(
    private readonly source: PlaySource,
    readonly runId: string,
  ) {
    this.run = source.run(runId);
    this.state = emptyPlay(runId);
  }

  /** Applies new events; returns how many there were. */
  refresh(): number {
    const events = this.source.events(this.runId, this.state.lastSeq);
    foldEvents(events, this.state);
    if (events.length > 0) this.run = this.source.run(this.runId);
    this.history ??= this.source.stageHistory(this.run.program, this.run.startedAt);
    return events.length;
  }

  /** The run row as of the last refresh (status, control, pid). */
  get runRow(): Run {
    return this.run;
  }

  report(options: Omit<TrackOptions, 'history'>): PlayReport {
    return trackPlay(this.state, { ...options, history: this.history ?? new Map() });
  }
}
