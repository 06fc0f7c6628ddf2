/** `choiros play …` as plain lines: status, history, diff and metrics. */
import { table } from '../cli/output.js';
import type { Style } from '../cli/output.js';
import { describeDeviation } from '../play/deviations.js';
import type { StageDiff } from '../play/diff.js';
import type { PlayReport } from '../play/model.js';
import type { RunMetrics } from '../play/run-metrics.js';
import type { TimelineEntry } from '../play/timeline.js';
import { estimatedCompletion, formatClock, formatSpan, percent, STATUS_MARK } from './play-format.js';

const span = (ms: number | null) => (ms === null ? '-' : formatSpan(ms));

export function statusLines(report: PlayReport, style: Style, columns: number): string[] {
  const started = report.startedAt === null ? 'not started' : `started ${formatClock(report.startedAt)}`;
  const health = report.health === 'on track' ? style.green : report.health === 'at risk' ? style.yellow : style.red;
  const lines = [
    style.bold(`${report.runId} · ${report.program ?? '?'} · ${report.runStatus} · ${started} · elapsed ${formatSpan(report.elapsedMs)}`),
    `Progress ${percent(report.progress)} · Est. completion ${estimatedCompletion(report)} · Health: ${health(report.health.toUpperCase())}`,
    '',
    ...table(
      [['STAGE', 'STATUS', 'DURATION', 'EXPECTED', 'AGENT', 'RETRIES'], ...report.stages.map((s) => [`${STATUS_MARK[s.status]} ${s.name}${s.inSpec ? '' : ' (not in play)'}`, s.status, span(s.durationMs), span(s.expectedMs), s.agent ?? '-', String(s.retries)])],
      columns,
    ),
  ];
  if (report.deviations.length > 0) {
    lines.push('', 'Deviations:');
    for (const d of report.deviations) lines.push(`  ${d.open ? style.red('!') : ' '} ${describeDeviation(d)}${d.open ? '' : style.dim(' (closed)')}`);
  }
  lines.push('', `Next: ${report.next.detail}`);
  if ('command' in report.next && report.next.command !== null) lines.push(`  ${style.cyan(report.next.command)}`);
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
      lines.push(`    expected: ${d.expected.agents.join(', ') || 'no agent'} · ${limit}${d.expected.expect.length > 0 ? ` · expect ${d.expected.expect.join(', ')}` : ''}`);
    }
    lines.push(`    actual:   ${d.actual.agents.join(', ') || 'no agent'}`);
    for (const difference of d.differences) lines.push(`    ${style.yellow(difference)}`);
  }
  return lines;
}

export function metricsLines(m: RunMetrics, columns: number): string[] {
  const rate = (r: number | null) => (r === null ? '-' : percent(r));
  const lines = [
    `${m.runId} · ${m.status} · elapsed ${formatSpan(m.elapsedMs)} · progress ${percent(m.progress)}${m.timeToCompletionMs === null ? '' : ` · completed in ${formatSpan(m.timeToCompletionMs)}`}`,
    '',
    ...table([['STAGE', 'STATUS', 'DURATION', 'EXPECTED', 'RETRIES', 'TASKS', 'SUCCESS'], ...m.stages.map((s) => [s.stage, s.status, span(s.durationMs), span(s.expectedMs), String(s.retries), String(Object.values(s.tasks).reduce((a, b) => a + b, 0)), rate(s.successRate)])], columns),
    '',
    ...table([['AGENT', 'TASKS', 'FAILED', 'RETRIES'], ...m.agents.map((a) => [a.agent, String(a.tasks), String(a.failed), String(a.retries)])], columns),
  ];
  const kinds = Object.entries(m.deviations);
  lines.push('', kinds.length === 0 ? 'Deviations: none' : `Deviations: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return lines;
}
