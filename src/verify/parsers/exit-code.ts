import { describeExit, type ProcessResult } from '../../process/run.js';
import { formatDuration } from '../../config/units.js';

/** What a gate command's ending says on its own, before any report is read. */
export type ExitJudgement =
  | { kind: 'passed' }
  /** The command ran and said no: `meaning` is `exited 1`, `killed by SIGSEGV`. */
  | { kind: 'failed'; meaning: string }
  /** The command could not give an answer: it did not start, ran out of time, or was canceled. */
  | { kind: 'error'; reason: string };

export type ExitFacts = Pick<ProcessResult, 'exitCode' | 'signal' | 'timedOut' | 'canceled' | 'spawnError'> & { idleTimedOut?: boolean };

/**
 * The exit-code parser. A timeout is an error, never a pass, and never a plain failure either: a
 * hung test tells nothing about the tree. 126 and 127 are what `/bin/sh -c` returns when the
 * command is not executable or not found: the gate could not start.
 */
export function judgeExit(facts: ExitFacts, timeoutMs?: number): ExitJudgement {
  if (facts.spawnError !== undefined) return { kind: 'error', reason: `could not start: ${facts.spawnError}` };
  if (facts.canceled) return { kind: 'error', reason: 'canceled' };
  if (facts.timedOut) return { kind: 'error', reason: timeoutMs === undefined ? 'timed out' : `timed out after ${formatDuration(timeoutMs)}` };
  if (facts.idleTimedOut === true) return { kind: 'error', reason: 'stopped producing output and was ended' };
  if (facts.exitCode === 126 || facts.exitCode === 127) return { kind: 'error', reason: `could not start: ${describeExit(facts)}` };
  if (facts.exitCode === 0 && facts.signal === undefined) return { kind: 'passed' };
  return { kind: 'failed', meaning: describeExit(facts) };
}
