import { stripAnsi, visibleWidth } from '../util/ansi.js';

/** Pads or cuts `text` to exactly `width` visible columns; a cut styled cell loses its style. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const visible = visibleWidth(text);
  if (visible <= width) return text + ' '.repeat(width - visible);
  const plain = stripAnsi(text);
  return width === 1 ? '…' : `${plain.slice(0, width - 1)}…`;
}

export interface TableOptions {
  /**
   * Column indexes given up, in this order, when cutting the last column is not enough to fit
   * `maxWidth` (a 60-column terminal keeps the columns that say what a row is).
   */
  drop?: readonly number[];
  /** Column indexes never cut (names people copy: checkpoints, run ids, task ids). */
  whole?: readonly number[];
}

const GAP = 2;
/** The last column is cut no shorter than this (or its header) before anything else gives way. */
const LAST_MIN = 10;

function naturalWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return widths;
}

const total = (widths: readonly number[]) => widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);

/** Widths that fit `maxWidth`: the last column is cut first, then the widest, each down to its header. */
function fitWidths(natural: readonly number[], header: readonly string[], maxWidth: number, whole: ReadonlySet<number>): number[] {
  const widths = [...natural];
  const last = widths.length - 1;
  const floor = (i: number) => (whole.has(i) ? (natural[i] ?? 0) : Math.min(natural[i] ?? 0, Math.max(header[i]?.length ?? 0, i === last ? LAST_MIN : 4)));
  let over = total(widths) - maxWidth;
  if (over > 0 && last >= 0) {
    const cut = Math.min(over, (widths[last] ?? 0) - floor(last));
    widths[last] = (widths[last] ?? 0) - cut;
    over -= cut;
  }
  while (over > 0) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > floor(i) && (widest < 0 || w >= (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    over -= 1;
  }
  return widths;
}

/**
 * Lays out rows (the first is the header) as aligned columns no wider than `maxWidth`: the last
 * column is cut first, then the columns of `options.drop` are given up in order, then the widest
 * columns but `options.whole` are cut with an ellipsis. A line is never longer than `maxWidth`.
 */
export function table(rows: readonly (readonly string[])[], maxWidth = Infinity, options: TableOptions = {}): string[] {
  let keep = naturalWidths(rows).map((_, i) => i);
  const pick = (row: readonly string[]) => keep.map((i) => row[i] ?? '');
  const header = rows[0] ?? [];
  // How wide the kept columns are once the last one is cut as far as it goes.
  const narrowest = () => {
    const widths = naturalWidths(rows.map(pick));
    const last = widths.length - 1;
    const floor = Math.min(widths[last] ?? 0, Math.max(header[keep[last] ?? -1]?.length ?? 0, LAST_MIN));
    return total(widths) - (widths[last] ?? 0) + floor;
  };
  for (const column of options.drop ?? []) {
    if (narrowest() <= maxWidth || keep.length <= 1) break;
    keep = keep.filter((i) => i !== column);
  }
  const shown = rows.map(pick);
  const whole = new Set(keep.flatMap((column, i) => (options.whole?.includes(column) === true ? [i] : [])));
  const widths = fitWidths(naturalWidths(shown), pick(header), maxWidth, whole);
  return shown.map((row) => {
    const line = row
      .map((cell, i) => fit(cell, widths[i] ?? 0))
      .join(' '.repeat(GAP))
      .trimEnd();
    return visibleWidth(line) <= maxWidth ? line : fit(line, maxWidth).trimEnd();
  });
}
