import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../../config/load.js';
import type { Ledger } from '../../ledger/ledger.js';
import { attemptsOf } from '../../loop/attempts.js';
import { runPageUrl, type NoticePlaces } from '../../notify/payload.js';
import { runLogDir } from './run-record.js';

/**
 * Where a webhook points a human: the run folder; its morning report once the run has stopped
 * (the runner writes it as it exits); the digest of its latest verification when that failed
 * (`digest-N.md`, written by the loop); the run's page when `serve.url` says where the dashboard
 * is. Paths and a public address only: nothing here holds a secret.
 */
export function runPlaces(project: Project, ledger: Pick<Ledger, 'tasksOfRun'>): (runId: string, stopped: boolean) => NoticePlaces {
  const serveUrl = project.config.serve?.url;
  return (runId, stopped) => {
    const runFolder = runLogDir(project, runId);
    const latest = attemptsOf(ledger.tasksOfRun(runId)).at(-1);
    const digest = latest === undefined || latest.passed ? undefined : join(runFolder, `digest-${latest.attempt}.md`);
    return {
      runFolder,
      report: stopped ? join(runFolder, 'report.md') : null,
      digest: digest !== undefined && existsSync(digest) ? digest : null,
      runPage: serveUrl === undefined ? null : runPageUrl(serveUrl, runId),
    };
  };
}
