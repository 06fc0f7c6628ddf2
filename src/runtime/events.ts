/**
 * What the engine tells whoever watches a run (the Ink view, plain lines, `--json`): a
 * discriminated union on `type`, plain JSON. The engine knows nothing about how they are shown.
 */
import { runStatusText } from '../ledger/model.js';
import type { StopReason } from './errors.js';

export type StepKind = 'session' | 'exec' | 'verify' | 'checkpoint' | 'rollback' | 'gate';

export type RunStatus = 'succeeded' | 'failed' | StopReason;

export type RunEvent =
  /** `phases` is `[main]` for a program without phases (`phased` false): its one implicit stage. */
  | { type: 'run.started'; runId: string | null; program: string; phases: string[]; phased: boolean; dryRun: boolean }
  | { type: 'phase.started'; phase: string }
  | { type: 'phase.finished'; phase: string; status: 'succeeded' | 'failed' | 'skipped' }
  | { type: 'step.started'; step: string; kind: StepKind; label: string; agent: string | null; attempt: number; phase: string | null; detail: string }
  | { type: 'step.output'; step: string; lines: string[] }
  | { type: 'step.retry'; step: string; attempt: number; delayMs: number; error: string; agent: string | null }
  | { type: 'step.fallback'; step: string; from: string; to: string }
  | { type: 'step.finished'; step: string; kind: StepKind; status: 'succeeded' | 'failed' | 'awaiting_approval'; durationMs: number; summary: string }
  | { type: 'step.replayed'; step: string; kind: StepKind; label: string }
  | { type: 'judgement'; site: string; iteration: number; question: string; answer: boolean | string; replayed: boolean }
  | { type: 'warning'; message: string; at: string | undefined }
  | { type: 'output'; name: string | null; value: unknown }
  /** `outputs` as data; `outputText` as each reads in a string (a checkpoint reads as its name). */
  | { type: 'run.finished'; status: RunStatus; message: string | undefined; at: string | undefined; durationMs: number; outputs: Record<string, unknown>; outputText: Record<string, string> };

export type RunEventType = RunEvent['type'];

export type EventSink = (event: RunEvent) => void;

/** A step that failed, or a verification that ran and did not pass (its step finished, its verdict failed). */
export function failedStep(event: Extract<RunEvent, { type: 'step.finished' }>): boolean {
  return event.status === 'failed' || (event.kind === 'verify' && event.summary.startsWith('failed'));
}

/**
 * How a run's end reads, for the plain printer and the run view alike: the headline (`✗ run
 * failed`), then why and where. A dry run has no meaningful duration, but a dry run that fails
 * says why just as a real one does (it is how a wrong input is found before anything is paid for).
 */
export function finishText(event: Extract<RunEvent, { type: 'run.finished' }>, took: string, dryRun: boolean): { headline: string; text: string } {
  const run = dryRun ? 'dry run' : 'run';
  if (event.status === 'succeeded') return { headline: `✓ ${run} succeeded`, text: `✓ ${run} succeeded${dryRun ? '' : ` in ${took}`}` };
  const headline = event.status === 'failed' ? `✗ ${run} failed` : `■ ${run} ${runStatusText(event.status === 'limit' ? 'stopped' : event.status)}`;
  const why = `${event.message === undefined ? '' : `: ${event.message}`}${event.at === undefined ? '' : ` (${event.at})`}`;
  return { headline, text: `${headline}${dryRun ? '' : ` after ${took}`}${why}` };
}

/** The last line of a dry run: how many sessions it would start (before it would stop, if it does). */
export function dryRunCount(sessions: number, status: RunStatus): string {
  return `${sessions} session${sessions === 1 ? '' : 's'} would start${status === 'succeeded' ? '' : ' before that'}`;
}
