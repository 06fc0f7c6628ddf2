/**
 * The morning report: what a person reads after an unattended run, from the ledger alone —
 * why it stopped, what needs them, the stages, every verification attempt, the rollbacks with
 * their undo handles, the flaky gates, and the commands to go on. Pure.
 */
import { formatDuration } from '../config/units.js';
import type { Run, StoredEvent, Task } from '../ledger/model.js';
import { attemptsOf, bestAttempt, type AttemptFacts } from './attempts.js';
import type { Unfinished } from './unfinished.js';

export interface ReportInput {
  run: Run;
  tasks: readonly Task[];
  events: readonly StoredEvent[];
  /** `refs/choiros/best/<run>` when the run kept its best attempt. */
  best: string | undefined;
  /** What the run left in the work tree when it stopped at a limit, rolled back and kept as a ref. */
  unfinished?: Unfinished | undefined;
  now: string;
}

export interface MorningReport {
  run: string;
  status: string;
  reason: string | null;
  needsHuman: string[];
  stages: Array<{ stage: string; status: string; durationMs: number | null }>;
  attempts: AttemptFacts[];
  best: { ref: string; attempt: number } | null;
  rollbacks: Array<{ target: string; undo: string }>;
  flaky: Array<{ gate: string; attempt: number }>;
  checkpoints: Array<{ name: string; verdict: string }>;
  unfinished: Unfinished | null;
}

const HEADLINE: Record<string, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  stopped: 'stopped at a limit',
  awaiting_approval: 'waiting for approval',
  paused: 'paused',
  cancelled: 'cancelled',
  running: 'still running',
  interrupted: 'interrupted',
};

function stagesOf(events: readonly StoredEvent[]): MorningReport['stages'] {
  const stages = new Map<string, { status: string; started: number; durationMs: number | null }>();
  for (const { event, time } of events) {
    if (event.type === 'stage.started') stages.set(event.stage, { status: stages.get(event.stage)?.status === 'succeeded' ? 'succeeded' : 'unfinished', started: stages.get(event.stage)?.started ?? Date.parse(time), durationMs: null });
    if (event.type === 'stage.finished') {
      const stage = stages.get(event.stage);
      stages.set(event.stage, { status: event.status, started: stage?.started ?? Date.parse(time), durationMs: stage === undefined ? null : Date.parse(time) - stage.started });
    }
  }
  return [...stages].map(([stage, s]) => ({ stage, status: s.status, durationMs: s.durationMs }));
}

function needsHuman(input: ReportInput, attempts: readonly AttemptFacts[]): string[] {
  const { run, tasks, events } = input;
  const needs: string[] = [];
  for (const task of tasks.filter((t) => t.status === 'awaiting_approval')) {
    const answered = task.approvalState === 'approved' || task.approvalState === 'rejected';
    needs.push(answered ? `${task.task} (task ${task.id}) was ${task.approvalState}; \`prose resume ${run.id}\` goes on` : `${task.task} (task ${task.id}) waits for approval: \`choiros approve ${task.id}\` or \`choiros reject ${task.id}\`, then \`prose resume ${run.id}\``);
  }
  for (const { event } of events) {
    if (event.type === 'deviation' && (event.kind === 'ChecksChanged' || event.kind === 'SameFailure')) needs.push(event.kind === 'ChecksChanged' ? `an agent changed what the gates check: ${event.detail}` : `${event.detail}`);
  }
  const refused = attempts.filter((a) => a.checks.status === 'refused');
  if (refused.length > 0) needs.push(`attempt${refused.length > 1 ? 's' : ''} ${refused.map((a) => `#${a.attempt}${a.candidate === null ? '' : ` (${a.candidate.name})`}`).join(', ')} changed the checks and ${refused.length > 1 ? 'were' : 'was'} refused: look at ${refused.length > 1 ? 'them' : 'it'}, and accept by hand what is right (runs judge by the last good checkpoint: mark a tree you trust with \`choiros checkpoint --verdict good\`)`);
  if (run.status === 'stopped' && /chose to stop/.test(run.reason ?? '')) {
    // Resuming would replay the same answer and stop again: the way on is a new run.
    needs.push(`the run stopped: ${run.reason}. Start again from a good state: \`choiros rollback\`, then \`prose run ${run.program}\``);
  } else if (run.status === 'stopped') needs.push(`the run stopped: ${run.reason ?? 'a limit'}. \`prose resume ${run.id}\` goes on (a cap can be raised: \`prose resume ${run.id} max_iterations=N deadline=HH:MM\`)`);
  const left = input.unfinished;
  if (left !== undefined) {
    needs.push(`the work tree was rolled back to ${left.target} when the run stopped: what it held (a failed candidate, or an agent's unfinished edits) is kept as \`${left.kept}\`, and \`choiros rollback ${left.kept}\` brings it back`);
  }
  if (run.status === 'interrupted') needs.push(`the run was interrupted: its process ended before the run did. \`prose resume ${run.id}\` goes on from its first unfinished step`);
  if (run.status === 'failed') needs.push(`the run failed: ${run.reason ?? 'an error'}`);
  if (run.status === 'paused') needs.push(`the run is paused: \`prose resume ${run.id}\` goes on`);
  return needs;
}

export function morningReport(input: ReportInput): MorningReport {
  const attempts = attemptsOf(input.tasks);
  const best = input.best === undefined ? undefined : bestAttempt(attempts);
  return {
    run: input.run.id,
    status: input.run.status,
    reason: input.run.reason,
    needsHuman: needsHuman(input, attempts),
    stages: stagesOf(input.events),
    attempts,
    best: input.best === undefined || best === undefined ? null : { ref: input.best, attempt: best.attempt },
    rollbacks: input.events.flatMap(({ event }) => (event.type === 'rollback' ? [{ target: event.target, undo: event.undo }] : [])),
    flaky: attempts.flatMap((a) => a.flakyGates.map((gate) => ({ gate, attempt: a.attempt }))),
    checkpoints: input.events.flatMap(({ event }) => (event.type === 'checkpoint' ? [{ name: event.name, verdict: event.verdict }] : [])),
    unfinished: input.unfinished ?? null,
  };
}

function attemptRow(a: AttemptFacts): string {
  const verdict = a.checks.status === 'refused' ? 'refused (checks changed)' : a.status;
  return `| ${a.attempt} | ${verdict} | ${a.passed ? 0 : a.failing} | ${a.coverage === null ? '' : `${a.coverage}%`} | ${a.warnings ?? ''} | ${a.candidate?.name ?? ''} | ${a.headline.replace(/\|/g, '\\|')} |`;
}

/** The report as Markdown: `report.md` in the run folder. */
export function renderReport(report: MorningReport, input: ReportInput): string {
  const { run } = input;
  const ended = run.finishedAt ?? input.now;
  const lines = [
    `# ${run.id}: ${HEADLINE[run.status] ?? run.status}`,
    '',
    `\`${run.program}\` · mode ${run.mode ?? 'assisted'} · started ${run.startedAt} · ${run.finishedAt === null ? 'as of' : 'ended'} ${ended} (${formatDuration(Date.parse(ended) - Date.parse(run.startedAt))})`,
    ...(run.reason === null ? [] : ['', `Why: ${run.reason}`]),
    '',
    '## What needs a human',
    '',
    ...(report.needsHuman.length === 0 ? ['Nothing.'] : report.needsHuman.map((n) => `- ${n}`)),
    '',
    '## Stages',
    '',
    '| stage | status | took |',
    '|---|---|---|',
    ...report.stages.map((s) => `| ${s.stage} | ${s.status} | ${s.durationMs === null ? '' : formatDuration(s.durationMs)} |`),
    '',
    '## Attempts',
    '',
    ...(report.attempts.length === 0
      ? ['No verification ran.']
      : ['| # | verdict | failing | coverage | warnings | candidate | digest |', '|---|---|---|---|---|---|---|', ...report.attempts.map(attemptRow), '', 'Each failed attempt\u2019s full digest is `digest-N.md` in this folder.']),
    ...(report.best === null ? [] : ['', `Best attempt: #${report.best.attempt}, kept as \`${report.best.ref}\` (\`choiros rollback ${report.best.ref}\` restores it; the rollback itself can be undone).`]),
    '',
    '## Rollbacks',
    '',
    ...(report.rollbacks.length === 0 ? ['None.'] : report.rollbacks.map((r) => `- to ${r.target}${r.undo === '' ? '' : ` — undo with \`choiros rollback ${r.undo}\``}`)),
    '',
    '## Flaky gates',
    '',
    ...(report.flaky.length === 0 ? ['None.'] : report.flaky.map((f) => `- ${f.gate} (attempt ${f.attempt}): failed, then passed on a re-run of the same tree`)),
    '',
    '## Checkpoints',
    '',
    ...(report.checkpoints.length === 0 ? ['None.'] : report.checkpoints.map((c) => `- ${c.name} (${c.verdict})`)),
    '',
  ];
  return lines.join('\n');
}
