import { join, relative } from 'node:path';
import type { Project } from '../../config/load.js';
import { ledgerFile, sessionLogDir } from '../../config/paths.js';
import { ExitCode } from '../../errors.js';
import { remoteRepositoryName } from '../../git/remote-name.js';
import { Ledger } from '../../ledger/ledger.js';
import type { RunStatus as LedgerRunStatus } from '../../ledger/model.js';
import { run as runCommand } from '../../process/run.js';
import type { RunStatus } from '../../runtime/events.js';
import { stageSpecs } from '../../runtime/plan.js';
import type { ProgramUnit } from '../../runtime/program.js';
import type { RunOutcome } from '../../runtime/run.js';
import type { Redact } from '../../runtime/redact.js';
import type { Value } from '../../runtime/values.js';

export interface Recorded {
  ledger: Ledger;
  runId: string;
  logDir: string;
}

async function currentBranch(root: string): Promise<string | null> {
  const result = await runCommand('git', ['branch', '--show-current'], { cwd: root, timeoutMs: 5000 });
  const branch = result.stdout.trim();
  return result.failed || branch === '' ? null : branch;
}

/** `owner/name` from the `origin` remote when it has one a host names it by, else the project folder's name. */
async function repositoryName(project: Project): Promise<string> {
  const result = await runCommand('git', ['remote', 'get-url', 'origin'], { cwd: project.root, timeoutMs: 5000 });
  return (result.failed ? null : remoteRepositoryName(result.stdout)) ?? project.name;
}

/** The run's log folder: `$CHOIROS_HOME/logs/<session>/runs/<run>/`. */
export function runLogDir(project: Project, runId: string): string {
  return join(sessionLogDir(project.home, project.config.session), 'runs', runId);
}

/** Opens the project's ledger and records the run and its play (the stages it will go through). */
export async function recordRun(project: Project, runId: string, file: string, unit: ProgramUnit, hash: string, options: { args: Map<string, Value>; phase: string | undefined; mode: string | undefined; secrets: Redact }): Promise<Recorded> {
  const [branch, repository] = await Promise.all([currentBranch(project.root), repositoryName(project)]);
  const ledger = Ledger.open(ledgerFile(project.root));
  const args = options.secrets.redactDeep(Object.fromEntries([...options.args, ...(options.phase === undefined ? [] : [['phase', options.phase] as const])]));
  const program = relative(project.root, file) || file;
  const run = ledger.createRun({ id: runId, program, programHash: hash, args, mode: options.mode ?? null, pid: process.pid });
  ledger.append(run.id, { type: 'play.spec', stages: stageSpecs(unit, options.phase), repository, branch });
  return { ledger, runId: run.id, logDir: runLogDir(project, run.id) };
}

const LEDGER_STATUS: Record<RunStatus, LedgerRunStatus> = {
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  paused: 'paused',
  awaiting_approval: 'awaiting_approval',
  limit: 'stopped',
};

export function finishRecord(recorded: Recorded, outcome: RunOutcome, secrets: Redact): void {
  const reason = outcome.error === undefined ? null : secrets.redact(outcome.error.message);
  recorded.ledger.finishRun(recorded.runId, LEDGER_STATUS[outcome.status], outcome.status === 'limit' ? (reason ?? 'limit') : reason);
}

/** DESIGN.md's exit codes: 0 ok, 1 failure, 3 stopped (a limit, a pause), 4 awaiting approval, 130 cancelled. */
export function exitCodeOf(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
      return ExitCode.ok;
    case 'failed':
      return ExitCode.failure;
    case 'limit':
    case 'paused':
      return ExitCode.limit;
    case 'awaiting_approval':
      return ExitCode.awaitingApproval;
    case 'cancelled':
      return ExitCode.cancelled;
  }
}
