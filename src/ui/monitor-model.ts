/** What the wall monitor shows, built from ledger data (pure; the clock comes in). */
import type { Run, StoredEvent, Task } from '../ledger/model.js';
import type { PlayReport } from '../play/model.js';
import { timeline } from '../play/timeline.js';
import { formatSpan, percent } from './play-format.js';

export interface MonitorInput {
  runs: readonly Run[];
  /** The run in focus: the newest still going, else the newest. */
  report: PlayReport | null;
  /** Ended tasks of that run, oldest first (its iterations). */
  tasks: readonly Task[];
  health: { score: number; status: string } | null;
  /** Events of the focused run not shown yet. */
  events: readonly StoredEvent[];
  now: number;
}

export interface MonitorModel {
  title: string;
  health: { percent: number; label: string };
  /** Stage durations in `unit`: seconds while every stage is under two minutes, else minutes. */
  stages: { titles: string[]; data: number[]; unit: 's' | 'min' };
  iterations: { title: string; data: number[] };
  runs: { headers: string[]; data: string[][] };
  log: string[];
}

const MAX_ITERATIONS = 60;

export function monitorModel(input: MonitorInput): MonitorModel {
  const { report } = input;
  const title = report === null ? 'choiros: no runs yet' : `choiros: ${report.runId} ${report.runStatus}, ${percent(report.progress)}, ${report.health.toUpperCase()}`;
  const stages = (report?.stages ?? []).filter((s) => s.durationMs !== null);
  const durations = input.tasks.filter((t) => t.durationMs !== null).slice(-MAX_ITERATIONS);
  return {
    title,
    health: input.health === null ? { percent: 0, label: 'Health: not measured' } : { percent: Math.round(input.health.score), label: `Health ${input.health.score.toFixed(1)} (${input.health.status})` },
    stages: stageBars(stages.map((s) => ({ name: s.name, ms: s.durationMs ?? 0 }))),
    iterations: { title: `task seconds (${durations.length})`, data: durations.map((t) => Math.round((t.durationMs ?? 0) / 1000)) },
    runs: {
      headers: ['run', 'status', 'program', 'took'],
      data: input.runs.map((r) => [r.id.replace(/^run-/, ''), r.status, r.program, formatSpan((r.finishedAt === null ? input.now : Date.parse(r.finishedAt)) - Date.parse(r.startedAt))]),
    },
    log: timeline(input.events).map((e) => `${e.time.slice(11, 19)} ${e.text}`),
  };
}

/** Bar charts print the value over each bar: whole seconds for short stages (minutes would all read 0), else minutes to one decimal. */
function stageBars(stages: ReadonlyArray<{ name: string; ms: number }>): MonitorModel['stages'] {
  const seconds = stages.every((s) => s.ms < 120_000);
  return {
    titles: stages.map((s) => s.name.slice(0, 10)),
    data: stages.map((s) => (seconds ? Math.round(s.ms / 1000) : Math.round(s.ms / 6000) / 10)),
    unit: seconds ? 's' : 'min',
  };
}
