import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Ledger } from '../../ledger/ledger.js';
import type { Run } from '../../ledger/model.js';
import type { PlayFeed } from '../../play/feed.js';
import type { PlayReport } from '../../play/model.js';
import type { CommandContext } from '../command.js';
import { knownRun, openLedger } from './ledger-access.js';

export interface LoadedPlay {
  ledger: Ledger;
  root: string;
  run: Run;
  feed: PlayFeed;
  /** The tracker's report now (the clock and the disk are read here, never in play/). */
  report(): PlayReport;
}

/** Whether an expected artifact exists: paths in `expect:` are relative to the project root. */
export function artifactChecker(root: string): (path: string) => boolean {
  return (path) => existsSync(isAbsolute(path) ? path : resolve(root, path));
}

/** Opens the ledger and the run (named, else the latest) and folds its events. */
export async function loadPlay(ctx: CommandContext, runId: string | undefined): Promise<LoadedPlay> {
  const { ledger, root } = await openLedger(ctx);
  const [{ resolveRun, ledgerPlaySource }, { PlayFeed }] = await Promise.all([import('../../ledger/play-queries.js'), import('../../play/feed.js')]);
  // A run named on the command line that does not exist is a typo: exit 2, with the latest runs.
  const run = runId === undefined ? resolveRun(ledger, undefined) : knownRun(ledger, runId);
  const feed = new PlayFeed(ledgerPlaySource(ledger), run.id);
  feed.refresh();
  const artifactExists = artifactChecker(root);
  return { ledger, root, run, feed, report: () => feed.report({ now: Date.now(), artifactExists }) };
}
