/**
 * What the run view prints once, folded from the engine's events: pure, so it is tested without
 * a terminal. These lines never change (drawn once, in Ink's <Static>): the run's header, retries,
 * fallbacks, judgements, warnings, failed steps, and at the end the statement tree as it ended and
 * the result. What changes — the statement tree with its states — is `RunTree`'s; a dry run,
 * which starts nothing, is all lines: the steps it would start, numbered.
 */
import { formatDuration } from '../config/units.js';
import { dryRunCount, failedStep, finishText, type RunEvent, type RunStatus, type StepKind } from '../runtime/events.js';
import type { TreeRow } from './run-tree-rows.js';

export type Tone = 'plain' | 'good' | 'bad' | 'warn' | 'muted' | 'accent';

export interface Line {
  id: number;
  text: string;
  tone: Tone;
  /** A row of the statement tree as the run ended, drawn like the live tree. */
  row?: TreeRow;
}

export interface ActiveStep {
  step: string;
  kind: StepKind;
  label: string;
  detail: string;
  attempt: number;
  startedAt: number;
}

export interface RunViewState {
  dryRun: boolean;
  /** The program has phases (else its one stage is not shown). */
  phased: boolean;
  startedAt: number;
  phase: string | null;
  lines: readonly Line[];
  active: readonly ActiveStep[];
  done: number;
  failed: number;
  sessions: number;
  finished: { status: RunStatus; durationMs: number } | undefined;
}

export function initialView(now: number): RunViewState {
  return { dryRun: false, phased: true, startedAt: now, phase: null, lines: [], active: [], done: 0, failed: 0, sessions: 0, finished: undefined };
}

function oneLine(text: string, width = 100): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function add(state: RunViewState, text: string, tone: Tone): RunViewState {
  return { ...state, lines: [...state.lines, { id: state.lines.length, text, tone }] };
}

/** The statement tree as the run ended, printed once above the result. */
export function addRows(state: RunViewState, rows: readonly TreeRow[]): RunViewState {
  return { ...state, lines: [...state.lines, ...rows.map((row, i) => ({ id: state.lines.length + i, text: row.text, tone: row.tone, row }))] };
}

/** A finished step counts; a failed one is also printed, with why, since the tree may fold it away later. */
function stepFinished(state: RunViewState, event: Extract<RunEvent, { type: 'step.finished' }>): RunViewState {
  const active = state.active.filter((a) => a.step !== event.step);
  const step = state.active.find((a) => a.step === event.step);
  const failed = failedStep(event);
  const next = { ...state, active, done: state.done + (event.status === 'succeeded' && !failed ? 1 : 0), failed: state.failed + (failed ? 1 : 0) };
  return failed ? add(next, `✗ ${step?.label ?? event.kind} · ${oneLine(event.summary, 80)} (${formatDuration(event.durationMs)})`, 'bad') : next;
}

function stepStarted(state: RunViewState, event: Extract<RunEvent, { type: 'step.started' }>, now: number): RunViewState {
  const sessions = state.sessions + (event.kind === 'session' ? 1 : 0);
  if (state.dryRun) {
    const pad = state.phase === null ? '' : '  ';
    const number = event.kind === 'session' ? `${sessions}. ` : '   ';
    return add({ ...state, sessions }, `${pad}${number}${event.label}${event.detail === '' ? '' : `: ${oneLine(event.detail)}`}`, event.kind === 'session' ? 'plain' : 'muted');
  }
  const step: ActiveStep = { step: event.step, kind: event.kind, label: event.label, detail: oneLine(event.detail), attempt: event.attempt, startedAt: now };
  return { ...state, sessions, active: [...state.active.filter((a) => a.step !== event.step), step] };
}

function finish(state: RunViewState, event: Extract<RunEvent, { type: 'run.finished' }>): RunViewState {
  const { text } = finishText(event, formatDuration(event.durationMs), state.dryRun);
  const tone: Tone = event.status === 'succeeded' ? 'good' : event.status === 'failed' ? 'bad' : 'warn';
  let next: RunViewState = { ...state, active: [], finished: { status: event.status, durationMs: event.durationMs } };
  // A dry run that stops says why, then what it would have started; one that ends well only counts.
  if (!state.dryRun || event.status !== 'succeeded') next = add(next, text, tone);
  if (state.dryRun) next = add(next, dryRunCount(state.sessions, event.status), event.status === 'succeeded' ? 'good' : 'plain');
  // A dry run's outputs are what the scripted agent made up: not shown, as in plain output.
  if (!state.dryRun) for (const [name, text] of Object.entries(event.outputText)) next = add(next, `${name} = ${oneLine(text, 200)}`, 'plain');
  return next;
}

export function reduceView(state: RunViewState, event: RunEvent, now: number): RunViewState {
  switch (event.type) {
    case 'run.started':
      return add({ ...state, dryRun: event.dryRun, phased: event.phased, startedAt: now }, event.dryRun ? `dry run of ${event.program}: nothing is started` : `run ${event.runId ?? ''} · ${event.program}`, 'accent');
    case 'phase.started':
      if (!state.phased) return state;
      return state.dryRun ? add({ ...state, phase: event.phase }, `▶ phase ${event.phase}`, 'accent') : { ...state, phase: event.phase };
    case 'step.started':
      return stepStarted(state, event, now);
    case 'step.finished':
      return stepFinished(state, event);
    case 'step.retry':
      return add(state, `↻ retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${oneLine(event.error, 80)}`, 'warn');
    case 'step.fallback':
      return add(state, `↪ ${event.from} gave up; ${event.to} takes over`, 'warn');
    case 'judgement':
      return event.replayed ? state : add(state, `? ${oneLine(event.question, 80)} → ${typeof event.answer === 'boolean' ? (event.answer ? 'yes' : 'no') : event.answer}`, 'muted');
    case 'warning':
      return add(state, `warning: ${event.message}`, 'warn');
    case 'run.finished':
      return finish(state, event);
    // Shown by the statement tree (phases, output, replayed steps) or not at all.
    case 'phase.finished':
    case 'step.output':
    case 'step.replayed':
    case 'output':
      return state;
  }
}
