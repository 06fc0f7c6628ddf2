/**
 * Fits the statement tree into the rows a terminal has, giving up detail in this order: the
 * insides of finished statements, then of those not reached yet, output lines beyond two per
 * running step, runs of
 * finished or pending siblings (folded into one `… 12 done` row, the ones nearest to what runs
 * kept), the rest of the output lines; last, a window around the first running row. Running,
 * failed and waiting rows always stay.
 */
import type { RowNode, TreeRow } from './run-tree-rows.js';
import { TAIL_LINES } from './run-tree.js';

interface Shape {
  /** Draw the insides of statements up to this `RowNode.optional` (2: finished ones too, 1: those not reached yet, 0: only what runs). */
  optional: number;
  /** Output lines under each running step. */
  tail: number;
}

function shown(node: RowNode, shape: Shape): RowNode[] {
  return node.optional > shape.optional ? [] : node.children;
}

function flatten(nodes: readonly RowNode[], shape: Shape, out: TreeRow[] = []): TreeRow[] {
  for (const node of nodes) {
    out.push({ ...node.row, hot: node.hot });
    for (const line of shape.tail === 0 ? [] : node.tail.slice(-shape.tail)) out.push({ depth: node.row.depth + 1, kind: 'tail', glyph: '│', tone: 'muted', text: line, time: '', hot: true });
    flatten(shown(node, shape), shape, out);
  }
  return out;
}

/** The rows `flatten` would draw, counted without drawing them. */
function count(nodes: readonly RowNode[], shape: Shape): number {
  let rows = 0;
  for (const node of nodes) rows += 1 + Math.min(shape.tail, node.tail.length) + count(shown(node, shape), shape);
  return rows;
}

/** Siblings that can fold together: not running, failed or waiting, with nothing drawn under them. */
function foldable(node: RowNode, shape: Shape): boolean {
  return !node.hot && node.row.kind === 'node' && shown(node, shape).length === 0 && (shape.tail === 0 || node.tail.length === 0);
}

function foldRow(nodes: readonly RowNode[]): RowNode {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.place, (counts.get(n.place) ?? 0) + 1);
  const words: Record<string, string> = { done: 'done', skipped: 'skipped', pending: 'pending', open: 'running', ended: 'stopped' };
  const text = [...counts].map(([place, count]) => `${count} ${words[place] ?? place}`).join(', ');
  const depth = nodes[0]?.row.depth ?? 0;
  return { row: { depth, kind: 'fold', glyph: '…', tone: 'muted', text, time: '' }, place: 'done', hot: false, children: [], optional: 0, tail: [] };
}

interface Run {
  list: RowNode[];
  start: number;
  length: number;
}

function runsIn(nodes: RowNode[], shape: Shape, runs: Run[]): void {
  let start = -1;
  const close = (end: number) => {
    if (start >= 0 && end - start >= 2) runs.push({ list: nodes, start, length: end - start });
    start = -1;
  };
  nodes.forEach((node, i) => {
    if (foldable(node, shape)) {
      if (start < 0) start = i;
    } else close(i);
    runsIn(shown(node, shape), shape, runs);
  });
  close(nodes.length);
}

/**
 * Folds runs of quiet siblings until `excess` rows are saved: every run is cut down to the same
 * number of rows (the longest lose most), keeping the rows nearest to where the run is.
 */
function fold(nodes: RowNode[], shape: Shape, excess: number): RowNode[] {
  // Only what is drawn is copied (and may be cut); hidden insides are shared.
  const copy = (list: RowNode[]): RowNode[] => list.map((n) => ({ ...n, children: shown(n, shape).length === 0 ? n.children : copy(n.children) }));
  const roots = copy(nodes);
  const runs: Run[] = [];
  runsIn(roots, shape, runs);
  const saved = (keep: number) => runs.reduce((sum, r) => sum + Math.max(0, r.length - keep - 1), 0);
  let keep = Math.max(0, ...runs.map((r) => r.length));
  while (keep > 0 && saved(keep) < excess) keep -= 1;
  const cuts = runs.filter((r) => r.length > keep + 1).map((run) => {
    const count = run.length - keep;
    // Statements not reached yet keep their first rows (what comes next); finished ones their last (what just ran).
    const pending = run.list.slice(run.start, run.start + run.length).every((n) => n.place === 'pending');
    return { list: run.list, from: pending ? run.start + keep : run.start, count };
  });
  // Cut from the end of each list first, so earlier positions in it stay valid.
  cuts.sort((a, b) => b.from - a.from);
  for (const cut of cuts) cut.list.splice(cut.from, cut.count, foldRow(cut.list.slice(cut.from, cut.from + cut.count)));
  return roots;
}

/** The last resort: a window that starts just above the first running row, with a count of what is cut. */
function clip(rows: TreeRow[], budget: number): TreeRow[] {
  if (rows.length <= budget) return rows;
  const room = Math.max(1, budget - 2);
  const hot = rows.findIndex((r) => r.hot);
  const start = Math.max(0, Math.min(hot < 0 ? 0 : hot - 1, rows.length - room));
  const marker = (count: number, where: string): TreeRow => ({ depth: 0, kind: 'fold', glyph: '…', tone: 'muted', text: `${count} more ${where}`, time: '', hot: false });
  const out = start > 0 ? [marker(start, 'above')] : [];
  out.push(...rows.slice(start, start + room));
  const rest = rows.length - start - room;
  if (rest > 0) out.push(marker(rest, 'below'));
  return out;
}

/** Running steps with output to show. */
function tailed(nodes: readonly RowNode[]): number {
  return nodes.reduce((sum, n) => sum + (n.tail.length > 0 ? 1 : 0) + tailed(n.children), 0);
}

/** The rows of `nodes` in at most `budget` lines. */
export function fitRows(nodes: RowNode[], budget: number): TreeRow[] {
  const limit = Math.max(3, budget);
  const first = tailed(nodes) <= 1 ? TAIL_LINES : 2;
  for (const shape of [{ optional: 2, tail: first }, { optional: 1, tail: first }, { optional: 0, tail: first }, { optional: 0, tail: 2 }]) {
    if (count(nodes, shape) <= limit) return flatten(nodes, shape);
  }
  let folded: { nodes: RowNode[]; shape: Shape } = { nodes, shape: { optional: 0, tail: 0 } };
  for (const tail of [2, 1, 0]) {
    const shape = { optional: 0, tail };
    folded = { nodes: fold(nodes, shape, count(nodes, shape) - limit), shape };
    if (count(folded.nodes, shape) <= limit) return flatten(folded.nodes, shape);
  }
  return clip(flatten(folded.nodes, folded.shape), limit);
}
