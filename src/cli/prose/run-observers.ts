import type { Project } from '../../config/load.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { StoredEvent } from '../../ledger/model.js';
import type { Notifier } from '../../notify/notifier.js';
import type { PlayState } from '../../play/model.js';
import { artifactChecker } from '../commands/play-load.js';

/**
 * Longest a finished run waits for its webhooks before the process exits: deliveries still going
 * then (a target that never answers, retries backing off) are given up and recorded as failed.
 */
export const DELIVERY_WAIT_MS = 15_000;

export interface Observers {
  /** Every event the run writes, as stored. */
  onStored(event: StoredEvent): void;
  /** How events written here (deviations) reach `onStored`: the journal's publish. */
  attach(publish: () => void): void;
  /** Writes the deviations the play tracker finds open (stage timeout, stuck, missing artifact). */
  track(): void;
  /** Stops tracking and waits (at most DELIVERY_WAIT_MS) for deliveries in flight; the ledger stays open until it resolves. */
  close(): Promise<void>;
}

/**
 * What watches a run from inside the runner: the webhook notifier (choiros.yaml `notify:`) gets
 * every ledger event, and the play tracker is asked when a stage ends and every `intervalMs` for
 * deviations to record (missing artifacts checked on disk), so that `choiros play`, metrics and
 * the webhooks see them while the run is still going.
 */
export async function observeRun(project: Project, ledger: Ledger, runId: string, env: NodeJS.ProcessEnv, warn: (message: string) => void, intervalMs = 30_000): Promise<Observers> {
  const [{ Notifier }, { emptyPlay, foldEvents }, { trackPlay }, { deviationsToRecord }, { runPlaces }] = await Promise.all([
    import('../../notify/notifier.js'),
    import('../../play/state.js'),
    import('../../play/tracker.js'),
    import('../../play/record.js'),
    import('./run-places.js'),
  ]);
  const targets = project.config.notify ?? [];
  const notifier: Notifier | undefined = targets.length === 0 ? undefined : new Notifier({ targets, env, ledger, onError: warn, places: runPlaces(project, ledger) });
  let state: PlayState = emptyPlay(runId);
  let seen = 0;
  let publish = () => {};
  const artifactExists = artifactChecker(project.root);
  let tracking = false;
  const track = () => {
    // Recording a deviation publishes it, which may end here again: one pass at a time.
    if (tracking) return;
    tracking = true;
    try {
      const fresh = ledger.events({ runId, afterSeq: seen });
      seen = fresh.at(-1)?.seq ?? seen;
      state = foldEvents(fresh, state);
      for (const deviation of deviationsToRecord(state, trackPlay(state, { now: Date.now(), artifactExists }))) ledger.append(runId, deviation);
      publish();
    } finally {
      tracking = false;
    }
  };
  const timer = setInterval(track, intervalMs);
  timer.unref();
  return {
    onStored: (event) => {
      notifier?.handle(event);
      // A stage that ended is where its `expect:` paths must exist: checked then, not at the next tick.
      if (event.event.type === 'stage.finished') track();
    },
    attach: (fn) => (publish = fn),
    track,
    close: async () => {
      clearInterval(timer);
      // Given up at the bound, and recorded as not delivered, before the ledger closes.
      if (notifier !== undefined) await notifier.drain(DELIVERY_WAIT_MS);
    },
  };
}
