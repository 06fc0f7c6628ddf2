/**
 * The state of the statement tree, folded from the engine's events: each step by its key, and
 * for every node of the outline, in every scope it ran in (a loop's iteration, a parallel's
 * branch), how many of its steps started, run and failed. Each event touches only the nodes on
 * its step's path, so a program of hundreds of statements costs no more per event than a small
 * one. Mutable, for that reason; `revision` says when it changed.
 */
import { failedStep, type RunEvent, type RunStatus, type StepKind } from '../runtime/events.js';
import type { Outline, OutlineNode } from './run-outline.js';

export const TAIL_LINES = 6;

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'awaiting' | 'replayed';

export interface StepState {
  key: string;
  kind: StepKind;
  label: string;
  detail: string;
  attempt: number;
  status: StepStatus;
  startedAt: number;
  durationMs: number | undefined;
  summary: string;
  /** The newest lines of its output. */
  tail: readonly string[];
  /** The activities it counts in (see `Activity`), to update them when it finishes. */
  path: readonly string[];
}

/** The steps under one node in one scope. */
export interface Activity {
  started: number;
  running: number;
  firstAt: number;
  lastAt: number;
  /** The last step under it to finish failed. */
  lastFailed: boolean;
  /** The newest step's label: what a `parallel for` item or a block call is doing. */
  label: string;
  /** Steps running under it now, by key: a call's or an item's live rows. */
  runningKeys: Set<string>;
  /** Loops and fan-outs: iterations seen, and the newest. */
  iterations: Set<number>;
  latest: number;
}

export type PhaseStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

const SEGMENT = /^(\d+:\d+)([#&>])(.*)$/;

/** Where a step key lands in the outline (see `RunTree.resolve`). */
interface Resolved {
  chain: Array<{ node: OutlineNode; ctx: string }>;
  frames: Array<{ node: OutlineNode; ctx: string; inner: string; index: number }>;
}

/** The activities a step counts in: every node from the root to its own, each in its scope, and the iteration or branch scopes it is in. */
function pathOf(resolved: Resolved): string[] {
  return [...resolved.chain.map(({ node, ctx }) => activityKey(ctx, node)), ...resolved.frames.map(({ node, inner }) => activityKey(inner, node, true))];
}

/** The scope a node's children run in: `ctx` plus the node's own iteration or branch segment. */
export const activityKey = (ctx: string, node: OutlineNode, instance = false): string => `${ctx}|${node.id}${instance ? '@' : ''}`;

export class RunTree {
  revision = 0;
  dryRun = false;
  finished: RunStatus | undefined;
  private readonly steps = new Map<string, StepState>();
  private readonly activities = new Map<string, Activity>();
  private readonly phases = new Map<string, PhaseStatus>();
  /** Steps whose key names no node of the outline, in the order they started. */
  readonly loose: string[] = [];

  constructor(readonly outline: Outline) {}

  step(key: string): StepState | undefined {
    return this.steps.get(key);
  }

  activity(ctx: string, node: OutlineNode, instance = false): Activity | undefined {
    return this.activities.get(activityKey(ctx, node, instance));
  }

  phase(name: string): PhaseStatus | undefined {
    return this.phases.get(name);
  }

  /** Folds one event in; false when it changes nothing the tree shows. */
  apply(event: RunEvent, now: number): boolean {
    const changed = this.fold(event, now);
    if (changed) this.revision += 1;
    return changed;
  }

  private fold(event: RunEvent, now: number): boolean {
    switch (event.type) {
      case 'run.started':
        this.dryRun = event.dryRun;
        return true;
      case 'phase.started':
        this.phases.set(event.phase, 'running');
        return true;
      case 'phase.finished':
        this.phases.set(event.phase, event.status);
        return true;
      case 'step.started':
      case 'step.replayed':
        this.started(event, now);
        return true;
      case 'step.output': {
        const step = this.steps.get(event.step);
        if (step === undefined || event.lines.length === 0) return false;
        step.tail = [...step.tail, ...event.lines].slice(-TAIL_LINES);
        return true;
      }
      case 'step.finished':
        return this.stepFinished(event, now);
      case 'run.finished':
        this.finished = event.status;
        return true;
      case 'step.retry':
      case 'step.fallback':
      case 'judgement':
      case 'warning':
      case 'output':
        return false;
    }
  }

  private started(event: Extract<RunEvent, { type: 'step.started' | 'step.replayed' }>, now: number): void {
    const replayed = event.type === 'step.replayed';
    const previous = this.steps.get(event.step);
    if (previous?.status === 'running') this.settle(previous, now, false);
    const resolved = previous === undefined ? this.resolve(event.step) : undefined;
    const path = previous?.path ?? (resolved === undefined ? undefined : pathOf(resolved));
    if (path === undefined) this.loose.push(event.step);
    const step: StepState = {
      key: event.step,
      kind: event.kind,
      label: event.label,
      detail: replayed ? '' : event.detail,
      attempt: replayed ? 1 : event.attempt,
      status: replayed ? 'replayed' : 'running',
      startedAt: now,
      durationMs: replayed ? 0 : undefined,
      summary: replayed ? 'recorded, not run again' : '',
      tail: [],
      path: path ?? [],
    };
    this.steps.set(event.step, step);
    for (const key of step.path) {
      const activity = this.activities.get(key) ?? this.create(key, now);
      activity.started += 1;
      activity.label = replayed ? event.label : `${event.label}${event.detail === '' ? '' : `: ${event.detail}`}`;
      activity.lastAt = now;
      if (!replayed) {
        activity.running += 1;
        activity.runningKeys.add(event.step);
      }
    }
    // The iteration a step belongs to is its loop's newest one.
    for (const { node, ctx, index } of resolved?.frames ?? []) {
      const activity = this.activities.get(activityKey(ctx, node));
      activity?.iterations.add(index);
      if (activity !== undefined && node.mode === 'loop') activity.latest = index;
    }
  }

  private stepFinished(event: Extract<RunEvent, { type: 'step.finished' }>, now: number): boolean {
    const step = this.steps.get(event.step);
    if (step === undefined) return false;
    const failed = failedStep(event);
    step.status = event.status === 'awaiting_approval' ? 'awaiting' : failed ? 'failed' : 'succeeded';
    step.durationMs = event.durationMs;
    step.summary = event.summary;
    this.settle(step, now, failed);
    return true;
  }

  /** A step stopped running: the activities on its path count it as finished. */
  private settle(step: StepState, now: number, failed: boolean): void {
    for (const key of step.path) {
      const activity = this.activities.get(key);
      if (activity === undefined || !activity.runningKeys.delete(step.key)) continue;
      activity.running -= 1;
      activity.lastAt = now;
      activity.lastFailed = failed;
    }
  }

  private create(key: string, now: number): Activity {
    const activity: Activity = { started: 0, running: 0, firstAt: now, lastAt: now, lastFailed: false, label: '', runningKeys: new Set(), iterations: new Set(), latest: 0 };
    this.activities.set(key, activity);
    return activity;
  }

  /**
   * A key's place in the outline: the node its steps land on (a block call stands for all the
   * steps inside it), the nodes above it with the scope each runs in, and the loops and branches
   * on the way. Undefined when the key does not fit the outline.
   */
  private resolve(key: string): Resolved | undefined {
    const segments = key.split('/');
    const frames: Array<{ node: OutlineNode; segment: string; index: number }> = [];
    let target: OutlineNode | undefined;
    for (const segment of segments.slice(0, -1)) {
      const match = SEGMENT.exec(segment);
      const node = match === null ? undefined : this.outline.byPosition.get(match[1] ?? '');
      if (match === null || node === undefined) return undefined;
      if (match[2] === '>') {
        target = node;
        break;
      }
      frames.push({ node, segment, index: Number(match[3]) });
    }
    target ??= this.outline.byPosition.get(segments.at(-1) ?? '');
    if (target === undefined) return undefined;
    const above: OutlineNode[] = [];
    for (let n: OutlineNode | undefined = target; n !== undefined; n = n.parent) above.unshift(n);
    const chain: Array<{ node: OutlineNode; ctx: string }> = [];
    const placed: Array<{ node: OutlineNode; ctx: string; inner: string; index: number }> = [];
    let ctx = '';
    let next = 0;
    for (const node of above) {
      chain.push({ node, ctx });
      const frame = frames[next];
      if (frame?.node === node && node !== target) {
        const inner = `${ctx}${frame.segment}/`;
        placed.push({ node, ctx, inner, index: frame.index });
        ctx = inner;
        next += 1;
      }
    }
    return next === frames.length ? { chain, frames: placed } : undefined;
  }
}
