/** `choiros play …` as plain lines: status, history, diff and metrics. */
import { table } from '../cli/table.js';
import { runStatusText } from '../ledger/model.js';
import { wrap, wrapCommand, wrapParts } from '../util/wrap.js';
import type { Style } from '../cli/output.js';
import { describeDeviation } from '../play/deviations.js';
import type { StageDiff } from '../play/diff.js';
import type { PlayReport } from '../play/model.js';
import type { RunMetrics } from '../play/run-metrics.js';
import type { TimelineEntry } from '../play/timeline.js';
import { estimatedCompletion, formatClock, formatSpan, limitLeft, percent, shownStatus, STATUS_MARK } from './play-format.js';

const span = (ms: number | null) => (ms === null ? '-' : formatSpan(ms));

/**
 * What a stage is expected to take: its time limit and what is left of it while it runs with a
 * `timeout:`; else the median of its past runs, or `~1m 00s est.` when that is a guess.
 */
function expectedCell(stage: PlayReport['stages'][number]): string {
  const limit = limitLeft(stage);
  if (limit !== undefined) return limit;
  if (stage.expectedMs === null) return '-';
  return stage.expectedGuessed ? `~${formatSpan(stage.expectedMs)} est.` : formatSpan(stage.expectedMs);
}

/** `columns` lays out the table; sentences wrap at `wrapAt` (Infinity: never, for logs). */
export function statusLines(report: PlayReport, style: Style, columns: number, wrapAt = Infinity): string[] {
  const started = report.startedAt === null ? 'not started' : `started ${formatClock(report.startedAt)}`;
  const health = report.health === 'on track' ? style.green : report.health === 'at risk' ? style.yellow : style.red;
  // A run with no play at all (an orchestrator's, logged through the task API) has nothing to stray from.
  const planned = report.stages.some((s) => s.inSpec);
  const lines = [
    ...wrapParts([report.runId, report.program ?? '?', report.runStatus, started, `elapsed ${formatSpan(report.elapsedMs)}`], wrapAt).map((l) => style.bold(l)),
    ...wrapParts([`Progress ${percent(report.progress)}`, `Est. completion ${estimatedCompletion(report)}`, `Health: ${health(report.health.toUpperCase())}`], wrapAt),
    '',
    ...table(
      [['STAGE', 'STATUS', 'DURATION', 'EXPECTED', 'AGENT', 'RETRIES'], ...report.stages.map((s) => [`${STATUS_MARK[shownStatus(s, report)]} ${s.name}${s.inSpec || !planned ? '' : ' (not in play)'}`, shownStatus(s, report), span(s.durationMs), expectedCell(s), s.agent ?? '-', String(s.retries)])],
      columns,
      { drop: [3] },
    ),
  ];
  if (report.deviations.length > 0) {
    lines.push('', 'Deviations:');
    for (const d of report.deviations) {
      const wrapped = wrap(`${describeDeviation(d)}${d.open ? '' : ' (closed)'}`, wrapAt, { indent: '    ', hanging: '    ' });
      const last = wrapped.length - 1;
      wrapped.forEach((line, i) => {
        const text = i === last && !d.open ? line.replace(/ \(closed\)$/, style.dim(' (closed)')) : line;
        lines.push(i === 0 ? `  ${d.open ? style.red('!') : ' '} ${text.slice(4)}` : text);
      });
    }
  }
  lines.push('', ...wrap(`Next: ${report.next.detail}`, wrapAt, { hanging: '  ' }));
  if ('command' in report.next && report.next.command !== null) lines.push(...wrapCommand(report.next.command, wrapAt).map((l) => style.cyan(l)));
  return lines;
}

export function historyLines(entries: readonly TimelineEntry[], columns: number): string[] {
  return table(
    [['TIME', 'AFTER', 'STAGE', 'EVENT'], ...entries.map((e) => [e.time.slice(11, 19), `+${formatSpan(e.offsetMs)}`, e.stage ?? '-', e.text])],
    columns,
  );
}

export function diffLines(diff: readonly StageDiff[], style: Style): string[] {
  const lines: string[] = [];
  for (const d of diff) {
    const mark = d.differences.length === 0 ? style.green('=') : style.yellow('~');
    lines.push(`${mark} ${style.bold(d.stage)}  ${d.actual.status}${d.actual.durationMs === null ? '' : ` in ${formatSpan(d.actual.durationMs)}`}`);
    if (d.expected !== null) {
      const limit = d.expected.timeoutMs === null ? 'no limit' : `limit ${formatSpan(d.expected.timeoutMs)}`;
      const mayRun = d.expected.mayRun;
      const agents = d.expected.agents.map((a) => (mayRun.includes(a) ? `${a} (may run)` : a));
      lines.push(`    expected: ${agents.join(', ') || 'no agent'} · ${limit}${d.expected.expect.length > 0 ? ` · expect ${d.expected.expect.join(', ')}` : ''}`);
    }
    lines.push(`    actual:   ${d.actual.agents.join(', ') || 'no agent'}`);
    for (const difference of d.differences) lines.push(`    ${style.yellow(difference)}`);
  }
  return lines;
}

/** `completed in 4m 10s` for a run that succeeded; `stopped at a limit after 1s`, `awaiting approval after 2m 00s` for one that did not. */
function endedLine(m: RunMetrics): string[] {
  if (m.timeToCompletionMs !== null) return [`completed in ${formatSpan(m.timeToCompletionMs)}`];
  return m.stoppedAfterMs === null ? [] : [`${runStatusText(m.status)} after ${formatSpan(m.stoppedAfterMs)}`];
}

export function metricsLines(m: RunMetrics, columns: number, wrapAt = Infinity): string[] {
  const rate = (r: number | null) => (r === null ? '-' : percent(r));
  const lines = [
    ...wrapParts([m.runId, runStatusText(m.status), `elapsed ${formatSpan(m.elapsedMs)}`, `progress ${percent(m.progress)}`, ...endedLine(m)], wrapAt),
    '',
    ...table([['STAGE', 'STATUS', 'DURATION', 'EXPECTED', 'RETRIES', 'TASKS', 'SUCCESS'], ...m.stages.map((s) => [s.stage, s.status, span(s.durationMs), s.expectedMs !== null && s.expectedGuessed ? `~${formatSpan(s.expectedMs)} est.` : span(s.expectedMs), String(s.retries), String(Object.values(s.tasks).reduce((a, b) => a + b, 0)), rate(s.successRate)])], columns),
    '',
    ...table([['AGENT', 'TASKS', 'FAILED', 'RETRIES'], ...m.agents.map((a) => [a.agent, String(a.tasks), String(a.failed), String(a.retries)])], columns),
  ];
  // Commands, verifications, checkpoints and rollbacks are steps of the run, not agents.
  if (m.steps.length > 0) lines.push('', ...table([['OTHER STEP', 'TASKS', 'FAILED', 'RETRIES'], ...m.steps.map((a) => [a.step, String(a.tasks), String(a.failed), String(a.retries)])], columns));
  const kinds = Object.entries(m.deviations);
  lines.push('', kinds.length === 0 ? 'Deviations: none' : `Deviations: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return lines;
}
