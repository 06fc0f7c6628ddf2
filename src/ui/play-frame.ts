/**
 * The play dashboard of the Healer design ("Dashboard View") as lines of styled segments: the
 * same frame for Ink (live) and for `--plain` (logs, CI). Pure: the report and the width in.
 */
import { fit } from '../cli/table.js';
import { describeDeviation } from '../play/deviations.js';
import type { PlayReport, StageReport } from '../play/model.js';
import { windowStages } from './stage-window.js';
import { HEALTH_TONE, STATUS_MARK, STATUS_TONE, STATUS_WORD, shownStatus, type ShownStatus, branchLine, estimatedCompletion, formatClock, formatSpan, limitLeft, percent, progressBar, stageTitle, type Tone } from './play-format.js';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** Part of the outer double box (or its padding): Ink draws that box itself. */
  border?: boolean;
}
export type FrameLine = Segment[];

const MIN_WIDTH = 60;
const MAX_WIDTH = 80;
/** Open deviations listed under the table; the rest are counted. */
const DEVIATION_LINES = 5;

function cells(stage: StageReport, shown: ShownStatus): string[] {
  const started = stage.status !== 'pending';
  return [
    `${STATUS_MARK[shown]} ${stageTitle(stage.name)}`,
    STATUS_WORD[shown],
    stage.durationMs === null ? '-' : formatSpan(stage.durationMs),
    stage.agent ?? '-',
    started ? String(stage.retries) : '-',
  ];
}

const HEADER = ['Stage', 'Status', 'Duration', 'Agent', 'Retries'];

function columnWidths(rows: readonly string[][], inner: number): number[] {
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Table borders take 3 per column plus 1; the stage and agent columns give way on narrow frames.
  const budget = inner - 4 - (3 * widths.length + 1);
  const capped = [Math.min(widths[0] ?? 0, 28), widths[1] ?? 0, widths[2] ?? 0, Math.min(widths[3] ?? 0, 12), widths[4] ?? 0];
  let over = capped.reduce((a, b) => a + b, 0) - budget;
  for (const i of [0, 3]) {
    if (over <= 0) break;
    const cut = Math.min(over, (capped[i] ?? 0) - (HEADER[i]?.length ?? 0));
    capped[i] = (capped[i] ?? 0) - cut;
    over -= cut;
  }
  return capped;
}

function rule(widths: readonly number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
}

/**
 * The frame for a terminal `columns` wide; with `maxRows` (a live view) the stage table shows
 * what fits around the stage in progress and sums up the rest.
 */
export function dashboardFrame(report: PlayReport, columns: number, maxRows = Infinity): FrameLine[] {
  const width = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns));
  const inner = width - 2;
  const boxed = (segments: Segment[]): FrameLine => {
    const used = segments.reduce((n, s) => n + s.text.length, 0);
    const room = inner - 4;
    const fitted = used <= room ? segments : [{ ...segments[0], text: fit(segments.map((s) => s.text).join(''), room) }];
    const pad = room - fitted.reduce((n, s) => n + s.text.length, 0);
    return [{ text: '║  ', border: true }, ...fitted, { text: `${' '.repeat(Math.max(0, pad) + 2)}║`, border: true }];
  };
  const blank = boxed([]);
  const field = (label: string, value: string): FrameLine => boxed([{ text: `${`${label}:`.padEnd(12)}` }, { text: value }]);
  const title = `PLAY WORKFLOW: ${report.runId}`;
  const lead = Math.max(0, Math.floor((inner - title.length) / 2));

  const lines: FrameLine[] = [
    [{ text: `╔${'═'.repeat(inner)}╗`, border: true }],
    [{ text: '║', border: true }, { text: fit(`${' '.repeat(lead)}${title}`, inner), bold: true }, { text: '║', border: true }],
    [{ text: `╠${'═'.repeat(inner)}╣`, border: true }],
    blank,
  ];
  if (report.program !== null) lines.push(field('Program', report.program));
  if (report.repository !== null) lines.push(field('Repository', report.repository));
  const branch = branchLine(report.branch);
  if (branch !== undefined) lines.push(field(branch[0], branch[1]));
  if (report.startedAt !== null) lines.push(field('Started', formatClock(report.startedAt)));
  lines.push(field('Elapsed', formatSpan(report.elapsedMs)), blank);
  const bar = Math.max(10, Math.min(30, inner - 20));
  lines.push(boxed([{ text: 'Progress: ' }, { text: progressBar(report.progress, bar), tone: 'active' }, { text: ` ${percent(report.progress)}` }]), blank);

  const rows = report.stages.map((stage) => cells(stage, shownStatus(stage, report)));
  const widths = columnWidths(rows, inner);
  const row = (values: readonly string[], tone?: Tone): FrameLine => {
    const segs: Segment[] = [{ text: '│' }];
    values.forEach((v, i) => {
      const text = ` ${fit(v, widths[i] ?? 0)} `;
      segs.push(i === 1 && tone !== undefined ? { text, tone } : { text }, { text: '│' });
    });
    return boxed(segs);
  };
  const span = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1);
  const table: FrameLine[] = [];
  const open = report.deviations.filter((d) => d.open);
  // Lines besides the stage rows: those above, the table's rules and header (3) and bottom (2),
  // health, ETA and next (3), the deviations, and the blank and border at the end (2).
  // The time limit of the stage under way, and what is left of it (when its phase has a `timeout:`).
  const limited = report.stages.map((s) => [s, limitLeft(s)] as const).filter((entry): entry is readonly [StageReport, string] => entry[1] !== undefined);
  const around = lines.length + 10 + limited.length + Math.min(open.length, DEVIATION_LINES + 1);
  for (const entry of windowStages(report.stages, maxRows - around)) {
    if ('summary' in entry) table.push(boxed([{ text: '│ ' }, { text: fit(entry.summary, span), tone: 'muted' }, { text: ' │' }]));
    else {
      const shown = shownStatus(entry.stage, report);
      table.push(row(cells(entry.stage, shown), STATUS_TONE[shown]));
    }
  }
  lines.push(boxed([{ text: rule(widths, '┌', '┬', '┐') }]), row(HEADER), boxed([{ text: rule(widths, '├', '┼', '┤') }]), ...table);
  if (report.stages.length === 0) lines.push(boxed([{ text: '│ (no play.spec recorded for this run yet)', tone: 'muted' }]));
  lines.push(boxed([{ text: rule(widths, '└', '┴', '┘') }]), blank);

  lines.push(boxed([{ text: 'Health: ' }, { text: report.health.toUpperCase(), tone: HEALTH_TONE[report.health], bold: true }]));
  lines.push(boxed([{ text: `Est. Completion: ${estimatedCompletion(report)}` }]));
  for (const [stage, text] of limited) lines.push(boxed([{ text: `Time limit: ${stageTitle(stage.name)} ${text}`, ...(stage.remainingMs === 0 ? { tone: 'bad' as const } : {}) }]));
  lines.push(boxed([{ text: `Next: ${report.next.detail}` }]));
  for (const d of open.slice(0, DEVIATION_LINES)) lines.push(boxed([{ text: `! ${describeDeviation(d)}`, tone: 'bad' }]));
  if (open.length > DEVIATION_LINES) lines.push(boxed([{ text: `… ${open.length - DEVIATION_LINES} more deviations (choiros play status --run ${report.runId})`, tone: 'bad' }]));
  lines.push(blank, [{ text: `╚${'═'.repeat(inner)}╝`, border: true }]);
  return lines;
}

export function frameText(lines: readonly FrameLine[]): string {
  return lines.map((l) => l.map((s) => s.text).join('')).join('\n');
}
