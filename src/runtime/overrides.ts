/**
 * What a run's admin overrides (`choiros play advance --stage S`, `play reset --to-stage S`) mean
 * for the runner that goes on with it, read from the run's events in order. Pure: the ledger
 * journal feeds it the events and acts on the answer; the play tracker folds the same events the
 * same way (src/play/state.ts), so the two agree on where the play stands.
 *
 * - `advance S`: every stage before S that has not succeeded is passed over (recorded as skipped,
 *   never run) and the play goes on at S. It stays in force until a reset sends the play back
 *   before S.
 * - `reset S`: S and every stage after it run again. What they recorded before the reset — steps,
 *   judgements, their ends — is not replayed; a stage that was still going when the reset came
 *   (a live run) does not count as succeeded when it ends.
 *
 * A runner acts on an override at a phase boundary: `prose resume` before its first phase, a live
 * run when its current phase ends. Nothing cuts a phase in half.
 */
import type { StoredEvent } from '../ledger/model.js';

export interface OverrideScan {
  /** The play's stages in order (the last `play.spec`). */
  order: string[];
  /** Stages whose latest run succeeded and still counts (no reset since). */
  succeeded: Set<string>;
  /** Stages to pass over: before the advance in force, not succeeded. */
  passedOver: Set<string>;
  /** Stages already recorded as skipped since they last started (their pass-over needs no second event). */
  skipped: Set<string>;
  /** Tasks recorded before a reset of their stage: not replayed. */
  droppedTasks: Set<number>;
  /** Judgements (`site@iteration`) made in a stage before a reset of it: asked again. */
  droppedJudgements: Set<string>;
  /** The seq of the last admin event read (0: none). */
  lastAdminSeq: number;
}

interface Scan extends OverrideScan {
  advance: string | undefined;
  current: string | null;
  /** Stages a reset reached while they were going (or before they started again): their end does not count. */
  stale: Set<string>;
  tasksOf: Map<string, number[]>;
  judgementsOf: Map<string, string[]>;
}

function reset(scan: Scan, stage: string): void {
  const from = scan.order.indexOf(stage);
  if (from < 0) return;
  for (const name of scan.order.slice(from)) {
    scan.succeeded.delete(name);
    scan.skipped.delete(name);
    scan.stale.add(name);
    for (const id of scan.tasksOf.get(name) ?? []) scan.droppedTasks.add(id);
    for (const key of scan.judgementsOf.get(name) ?? []) scan.droppedJudgements.add(key);
    scan.tasksOf.delete(name);
    scan.judgementsOf.delete(name);
  }
  // Stages before S keep what an earlier advance did to them; the advance no longer reaches past S.
  if (scan.advance !== undefined && scan.order.indexOf(scan.advance) > from) scan.advance = stage;
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function apply(scan: Scan, stored: StoredEvent): void {
  const event = stored.event;
  switch (event.type) {
    case 'play.spec':
      scan.order = event.stages.map((s) => s.name);
      return;
    case 'stage.started':
      scan.current = event.stage;
      scan.stale.delete(event.stage);
      scan.skipped.delete(event.stage);
      return;
    case 'stage.finished':
      if (scan.current === event.stage) scan.current = null;
      if (scan.stale.has(event.stage)) return;
      if (event.status === 'succeeded') scan.succeeded.add(event.stage);
      else scan.succeeded.delete(event.stage);
      if (event.status === 'skipped') scan.skipped.add(event.stage);
      return;
    case 'task.created':
      // A stage a reset reached while it was going: what it still does before it ends is dropped too.
      if (event.stage !== null && scan.stale.has(event.stage)) scan.droppedTasks.add(event.taskId);
      else if (event.stage !== null) add(scan.tasksOf, event.stage, event.taskId);
      return;
    case 'judgement': {
      const key = `${event.site}@${event.iteration}`;
      if (scan.current !== null && scan.stale.has(scan.current)) scan.droppedJudgements.add(key);
      else {
        // Made again after a reset: this answer replaces the dropped one.
        scan.droppedJudgements.delete(key);
        if (scan.current !== null) add(scan.judgementsOf, scan.current, key);
      }
      return;
    }
    case 'admin':
      scan.lastAdminSeq = stored.seq;
      if (event.action === 'advance') scan.advance = scan.order.includes(event.stage) ? event.stage : scan.advance;
      else reset(scan, event.stage);
      return;
    default:
      return;
  }
}

export function scanOverrides(events: Iterable<StoredEvent>): OverrideScan {
  const scan: Scan = {
    order: [],
    succeeded: new Set(),
    passedOver: new Set(),
    skipped: new Set(),
    droppedTasks: new Set(),
    droppedJudgements: new Set(),
    lastAdminSeq: 0,
    advance: undefined,
    current: null,
    stale: new Set(),
    tasksOf: new Map(),
    judgementsOf: new Map(),
  };
  for (const stored of events) apply(scan, stored);
  const until = scan.advance === undefined ? 0 : scan.order.indexOf(scan.advance);
  for (const name of scan.order.slice(0, Math.max(0, until))) if (!scan.succeeded.has(name)) scan.passedOver.add(name);
  const { order, succeeded, passedOver, skipped, droppedTasks, droppedJudgements, lastAdminSeq } = scan;
  return { order, succeeded, passedOver, skipped, droppedTasks, droppedJudgements, lastAdminSeq };
}
