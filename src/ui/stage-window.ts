import type { StageReport, StageStatus } from '../play/model.js';

export type WindowRow = { stage: StageReport } | { summary: string };

function summarize(stages: readonly StageReport[], where: 'earlier' | 'more'): string {
  const counts = new Map<StageStatus, number>();
  for (const s of stages) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  return `… ${stages.length} ${where} stage${stages.length === 1 ? '' : 's'} (${parts})`;
}

/**
 * The stage rows that fit in `budget` lines: a long play shows the stages around the one in
 * progress (two before it, then what comes next) and sums up the rest in a line each — a live
 * terminal view cannot scroll, and drawing past its height makes it repaint the whole screen.
 */
export function windowStages(stages: readonly StageReport[], budget: number): WindowRow[] {
  const n = stages.length;
  if (n <= budget) return stages.map((stage) => ({ stage }));
  const slots = Math.max(3, budget);
  let focus = stages.findIndex((s) => s.status === 'active' || s.status === 'waiting');
  if (focus < 0) focus = stages.findIndex((s) => s.status === 'pending' || s.status === 'failed');
  if (focus < 0) focus = n - 1;
  let start = Math.max(0, focus - 2);
  let end = Math.min(n, start + slots - (start > 0 ? 1 : 0));
  if (end < n) end -= 1; // room for the "more" line
  else start = Math.max(0, n - (slots - 1)); // at the tail: fill upwards instead
  const rows: WindowRow[] = [];
  if (start > 0) rows.push({ summary: summarize(stages.slice(0, start), 'earlier') });
  for (const stage of stages.slice(start, end)) rows.push({ stage });
  if (end < n) rows.push({ summary: summarize(stages.slice(end), 'more') });
  return rows;
}
