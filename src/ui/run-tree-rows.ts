/**
 * The statement tree as rows to draw: each statement with its state — pending ·, running ▶ with
 * its elapsed time, done ✓ with its duration, failed ✗, skipped –, waiting for approval ⏸,
 * stopped ■ — nested as the program nests them, the running steps' newest output under them.
 * Pure: the tree's state and the time in, rows out.
 *
 * States the engine does not announce are read from the order statements run in: in a sequence,
 * a statement is finished once a later one has started, and one never started by then was
 * skipped (an `if` branch not taken, the rest of a `try` after a failure).
 */
import { formatDuration } from '../config/units.js';
import type { RunStatus } from '../runtime/events.js';
import type { OutlineNode } from './run-outline.js';
import type { Activity, RunTree, StepState } from './run-tree.js';
import type { Tone } from './run-view-model.js';

export interface TreeRow {
  depth: number;
  kind: 'node' | 'tail' | 'fold';
  glyph: string;
  tone: Tone;
  text: string;
  /** Elapsed time of what runs, duration of what finished; '' otherwise. */
  time: string;
  /** Running, failed or waiting: kept when the tree is cut to fit. */
  hot: boolean;
}

/** Where a statement stands: not reached, passed over, running, finished, or running when the run stopped. */
export type Place = 'pending' | 'skipped' | 'open' | 'done' | 'ended';

/** A row with what hangs under it; `hot` rows (running, failed, waiting) are never folded away. */
export interface RowNode {
  row: Omit<TreeRow, 'hot'>;
  place: Place;
  hot: boolean;
  children: RowNode[];
  /**
   * When its children are drawn: 0 always (it runs), 1 when there is room (a statement not
   * reached yet), 2 when there is room to spare (one finished).
   */
  optional: 0 | 1 | 2;
  tail: readonly string[];
}

interface Build {
  tree: RunTree;
  now: number;
  status: RunStatus | undefined;
}

/** The scope of a loop that has not started an iteration: no step is in it. */
const NOWHERE = '\u0000';

const GLYPH: Record<Place, [string, Tone]> = { pending: ['·', 'muted'], skipped: ['–', 'muted'], open: ['▶', 'accent'], done: ['✓', 'good'], ended: ['■', 'warn'] };

/** Time something has been running, in whole seconds (a clock that ticks each second shows no milliseconds). */
function elapsed(now: number, since: number): string {
  const ms = Math.max(0, now - since);
  return ms < 1000 ? '0s' : formatDuration(ms);
}

function endedGlyph(status: RunStatus | undefined): [string, Tone] {
  return status === 'failed' ? ['✗', 'bad'] : status === 'awaiting_approval' ? ['⏸', 'warn'] : ['■', 'warn'];
}

/** What a statement not reached becomes when the run ends: skipped when it is over for good, still pending when it may resume. */
function unreached(b: Build): Place {
  return b.status === 'succeeded' || b.status === 'failed' ? 'skipped' : 'pending';
}

function started(b: Build, node: OutlineNode, activity: Activity | undefined): boolean {
  return (activity?.started ?? 0) > 0 || (node.phase !== undefined && b.tree.phase(node.phase) !== undefined);
}

/** A node closed by its own event (a phase that finished) is done even before the next statement starts. */
function closed(b: Build, node: OutlineNode): boolean {
  const phase = node.phase === undefined ? undefined : b.tree.phase(node.phase);
  return phase !== undefined && phase !== 'running';
}

/** Children run one after another: the last one started is where execution is. */
function sequence(b: Build, nodes: readonly OutlineNode[], ctx: string, parent: Place, depth: number): RowNode[] {
  const activities = nodes.map((n) => b.tree.activity(ctx, n));
  let current = -1;
  nodes.forEach((n, i) => {
    if (started(b, n, activities[i])) current = i;
  });
  return nodes.map((node, i) => {
    const began = started(b, node, activities[i]);
    let place: Place;
    if (parent === 'pending' || parent === 'skipped') place = parent;
    else if (parent === 'done' || i < current) place = began ? 'done' : 'skipped';
    else if (i > current) place = parent === 'ended' ? unreached(b) : 'pending';
    else place = parent === 'ended' ? 'ended' : closed(b, node) ? 'done' : 'open';
    return nodeRow(b, node, ctx, place, activities[i], depth);
  });
}

/** A branch of a parallel (or a lone scope) runs by itself: finished when its parent is. */
function branchPlace(b: Build, parent: Place, activity: Activity | undefined, began: boolean): Place {
  if (parent === 'pending' || parent === 'skipped') return parent;
  if (!began) return parent === 'done' ? 'skipped' : parent === 'ended' ? unreached(b) : 'pending';
  if (parent === 'done') return 'done';
  if (parent === 'ended') return (activity?.running ?? 0) > 0 || activity?.lastFailed === true ? 'ended' : 'done';
  return 'open';
}

/**
 * What a step is doing, or did: its prompt while it runs and once it succeeded (for a gate, with
 * the answer and who gave it); why, once it failed or waits.
 */
function stepText(binding: string | undefined, step: StepState): string {
  const attempt = step.attempt > 1 ? ` (attempt ${step.attempt})` : '';
  const telling = step.status === 'failed' || step.status === 'awaiting' || step.detail === '';
  const answered = step.kind === 'gate' && step.status === 'succeeded' && step.summary !== '' ? ` · ${step.summary}` : '';
  const what = telling ? (step.summary === '' ? '' : ` · ${step.summary}`) : `: ${step.detail}${answered}`;
  return `${binding === undefined ? '' : `${binding} = `}${step.label}${attempt}${what}`;
}

function stepRow(b: Build, node: OutlineNode | undefined, step: StepState | undefined, place: Place, depth: number, label: string): RowNode {
  if (step === undefined) {
    const [glyph, tone] = GLYPH[place === 'skipped' ? 'skipped' : 'pending'];
    return leaf({ depth, kind: 'node', glyph, tone, text: label, time: '' }, place, false, []);
  }
  const text = stepText(node?.binding, step);
  switch (step.status) {
    case 'running': {
      const [glyph, tone] = place === 'ended' ? endedGlyph(b.status) : GLYPH.open;
      return leaf({ depth, kind: 'node', glyph, tone, text, time: elapsed(b.now, step.startedAt) }, place === 'ended' ? 'ended' : 'open', true, place === 'ended' ? [] : step.tail);
    }
    case 'succeeded':
    case 'replayed':
      return leaf({ depth, kind: 'node', glyph: step.status === 'replayed' ? '↺' : '✓', tone: 'good', text, time: formatDuration(step.durationMs ?? 0) }, 'done', false, []);
    case 'failed':
      return leaf({ depth, kind: 'node', glyph: '✗', tone: 'bad', text, time: formatDuration(step.durationMs ?? 0) }, 'done', true, []);
    case 'awaiting':
      return leaf({ depth, kind: 'node', glyph: '⏸', tone: 'warn', text, time: formatDuration(step.durationMs ?? 0) }, 'ended', true, []);
  }
}

function leaf(row: Omit<TreeRow, 'hot'>, place: Place, hot: boolean, tail: readonly string[]): RowNode {
  return { row, place, hot, children: [], optional: 0, tail };
}

function counter(node: OutlineNode, place: Place, activity: Activity | undefined): string {
  if (activity === undefined || (node.mode !== 'loop' && node.mode !== 'fanout')) return '';
  const seen = activity.iterations.size;
  if (node.mode === 'loop') {
    if (place === 'done') return ` · ${seen} iteration${seen === 1 ? '' : 's'}`;
    return ` · iteration ${activity.latest + 1}${node.total === undefined ? '' : `/${node.total}`}`;
  }
  return ` · ${seen} item${seen === 1 ? '' : 's'}`;
}

/**
 * Rows of statements that finished, or were never reached, stay as they are until their place
 * changes: kept per tree, so that a frame lays out only what runs, however long the program.
 */
const settled = new WeakMap<RunTree, Map<string, RowNode>>();

function nodeRow(b: Build, node: OutlineNode, ctx: string, place: Place, activity: Activity | undefined, depth: number): RowNode {
  if (node.mode === 'step') return stepRow(b, node, b.tree.step(ctx + node.at), place, depth, node.label);
  if (place === 'open' || place === 'ended' || (activity?.running ?? 0) > 0) return containerRow(b, node, ctx, place, activity, depth);
  let cache = settled.get(b.tree);
  if (cache === undefined) settled.set(b.tree, (cache = new Map()));
  const key = `${ctx}|${node.id}|${place}`;
  const row = cache.get(key) ?? containerRow(b, node, ctx, place, activity, depth);
  cache.set(key, row);
  return row;
}

function containerRow(b: Build, node: OutlineNode, ctx: string, place: Place, activity: Activity | undefined, depth: number): RowNode {
  const [glyph, tone] = place === 'ended' ? endedGlyph(b.status) : place === 'done' && activity?.lastFailed === true ? (['✗', 'bad'] as const) : GLYPH[place];
  const time = activity === undefined || place === 'pending' || place === 'skipped' ? '' : place === 'open' ? elapsed(b.now, activity.firstAt) : formatDuration(Math.max(0, activity.lastAt - activity.firstAt));
  const row = { depth, kind: 'node' as const, glyph, tone, text: `${node.label}${counter(node, place, activity)}`, time };
  const hot = place === 'open' || place === 'ended';
  const children = place === 'skipped' ? [] : childRows(b, node, ctx, place, activity, depth + 1);
  return { row, place, hot, children, optional: hot ? 0 : place === 'done' ? 2 : 1, tail: [] };
}

function childRows(b: Build, node: OutlineNode, ctx: string, place: Place, activity: Activity | undefined, depth: number): RowNode[] {
  switch (node.mode) {
    case 'step':
      return [];
    case 'sequence':
      return sequence(b, node.children, ctx, place, depth);
    case 'loop':
      // The newest iteration's statements; earlier ones are counted, not drawn.
      return sequence(b, node.children, activity === undefined ? NOWHERE : `${ctx}${node.at}#${activity.latest}/`, place, depth);
    case 'parallel':
      return node.children.map((child) => {
        const inner = `${ctx}${node.at}&${child.branch}/`;
        const a = b.tree.activity(inner, child);
        return nodeRow(b, child, inner, branchPlace(b, place, a, started(b, child, a)), a, depth);
      });
    case 'fanout':
      return items(b, node, ctx, place, activity, depth);
    case 'call':
      return [...(activity?.runningKeys ?? [])].map((key) => stepRow(b, undefined, b.tree.step(key), place, depth, ''));
  }
}

/** A `parallel for` or `pmap`: a row per item started, what it does now or did last. */
function items(b: Build, node: OutlineNode, ctx: string, place: Place, activity: Activity | undefined, depth: number): RowNode[] {
  if (activity === undefined) return sequence(b, node.children, NOWHERE, place, depth);
  return [...activity.iterations]
    .sort((x, y) => x - y)
    .flatMap((index) => {
      const item = b.tree.activity(`${ctx}${node.at}&${index}/`, node, true);
      if (item === undefined) return [];
      const at: Place = item.running > 0 ? (place === 'ended' ? 'ended' : 'open') : 'done';
      const [glyph, tone] = at === 'ended' ? endedGlyph(b.status) : at === 'done' && item.lastFailed ? (['✗', 'bad'] as const) : GLYPH[at];
      const running = [...item.runningKeys];
      const tail = at === 'open' && running.length === 1 ? (b.tree.step(running[0] ?? '')?.tail ?? []) : [];
      const time = at === 'open' ? elapsed(b.now, item.firstAt) : formatDuration(Math.max(0, item.lastAt - item.firstAt));
      return [leaf({ depth, kind: 'node', glyph, tone, text: `#${index + 1} ${item.label}`, time }, at, at !== 'done' || item.lastFailed, tail)];
    });
}

/** The whole tree, every row, before it is fitted to the screen. */
export function rowTree(tree: RunTree, now: number): RowNode[] {
  const b: Build = { tree, now, status: tree.finished };
  const root: Place = tree.finished === undefined ? 'open' : tree.finished === 'succeeded' ? 'done' : 'ended';
  const rows = sequence(b, tree.outline.roots, '', root, 0);
  // Steps the outline does not know (a program shown without its outline): in the order they started.
  for (const key of tree.loose) {
    const step = tree.step(key);
    if (step !== undefined) rows.push(stepRow(b, undefined, step, step.status === 'running' ? (root === 'ended' ? 'ended' : 'open') : 'done', 0, ''));
  }
  return rows;
}
