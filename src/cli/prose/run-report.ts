import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from '../../ledger/ledger.js';
import { attemptsOf, bestAttempt } from '../../loop/attempts.js';
import type { LoopGit } from '../../loop/loop-git.js';
import { morningReport, renderReport } from '../../loop/report.js';
import type { Unfinished } from '../../loop/unfinished.js';

/**
 * A run that stopped at a limit keeps its closest attempt as `refs/choiros/best/<run>`: the
 * candidate checkpoint it points at may be pruned later, the ref keeps its tree.
 */
export async function keepBest(ledger: Ledger, runId: string, git: LoopGit | undefined): Promise<string | undefined> {
  if (git === undefined) return undefined;
  const best = bestAttempt(attemptsOf(ledger.tasksOfRun(runId)));
  return best?.candidate === null || best === undefined ? undefined : git.keepBest(best.candidate.commit);
}

/** Writes `report.md` and `report.json` (the morning report) to the run folder; returns the Markdown's path. */
export function writeReport(ledger: Ledger, runId: string, logDir: string, best: string | undefined, unfinished?: Unfinished): string {
  const input = { run: ledger.run(runId), tasks: ledger.tasksOfRun(runId), events: ledger.events({ runId }), best, unfinished, now: new Date().toISOString() };
  const report = morningReport(input);
  mkdirSync(logDir, { recursive: true });
  const path = join(logDir, 'report.md');
  writeFileSync(path, renderReport(report, input));
  writeFileSync(join(logDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
