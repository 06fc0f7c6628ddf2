import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/git/annotation.js';
import type { CheckpointInfo, HandleInfo } from '../../../src/git/refs.js';
import { HANDLE_MIN_AGE_MS, planRetention, pruneUpdates } from '../../../src/git/retention.js';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date(2026, 5, 30);

function checkpoint(day: number, verdict: Verdict = 'unverified', ours = true): CheckpointInfo {
  const name = `checkpoint-202606${String(day).padStart(2, '0')}-000000`;
  return { name, ref: `refs/tags/${name}`, tagObject: ours ? `tag${day}` : undefined, commit: `c${day}`, tree: `t${day}`, parent: undefined, date: new Date(2026, 5, day), message: '', verdict, runId: undefined, ours };
}

function handle(number: number, ageDays: number, worktree = '/w'): HandleInfo {
  return { name: `pre-rollback/${number}`, ref: `refs/choiros/pre-rollback/${number}`, number, commit: `h${number}`, tree: '', date: new Date(now.getTime() - ageDays * DAY), target: '', worktree };
}

const names = (items: Array<{ name: string }>) => items.map((i) => i.name.slice(11, 19));

describe('retention', () => {
  it('keeps everything while there are no more than keep unverified checkpoints', () => {
    expect(planRetention({ checkpoints: [checkpoint(1), checkpoint(2)], handles: [], keep: 2, now })).toEqual({ checkpoints: [], handles: [] });
    const verified = [checkpoint(1, 'good'), checkpoint(2, 'bad'), checkpoint(3, 'bad'), checkpoint(4)];
    expect(planRetention({ checkpoints: verified, handles: [], keep: 1, now }).checkpoints).toEqual([]);
  });

  it('prunes the oldest unverified checkpoints beyond keep, never a good or a bad one, nor the newest', () => {
    const list = [checkpoint(1, 'good'), checkpoint(2, 'bad'), checkpoint(3), checkpoint(4, 'good'), checkpoint(5), checkpoint(6, 'bad'), checkpoint(7)];
    expect(names(planRetention({ checkpoints: list, handles: [], keep: 2, now }).checkpoints)).toEqual(['20260603']);
    expect(names(planRetention({ checkpoints: list, handles: [], keep: 1, now }).checkpoints)).toEqual(['20260603', '20260605']);
    // The newest stays even when keep would have it go.
    expect(names(planRetention({ checkpoints: [checkpoint(1), checkpoint(2)], handles: [], keep: 0, now }).checkpoints)).toEqual(['20260601']);
  });

  it('never prunes tags it did not write, and does not count them', () => {
    const list = [checkpoint(1, 'unverified', false), checkpoint(2), checkpoint(3)];
    expect(planRetention({ checkpoints: list, handles: [], keep: 2, now }).checkpoints).toEqual([]);
  });

  it('prunes undo handles older than a week, except each work tree’s newest', () => {
    const handles = [handle(5, 30, '/other'), handle(4, 10), handle(3, 9), handle(2, 6), handle(1, 8, '/other')];
    const plan = planRetention({ checkpoints: [], handles, keep: 50, now });
    expect(plan.handles.map((h) => h.number)).toEqual([3, 1]);
    expect(HANDLE_MIN_AGE_MS).toBe(7 * DAY);
  });

  it('deletes with compare-and-swap on the value it read', () => {
    const plan = { checkpoints: [checkpoint(3)], handles: [handle(9, 30)] };
    expect(pruneUpdates(plan)).toEqual([
      { kind: 'delete', ref: 'refs/tags/checkpoint-20260603-000000', old: 'tag3' },
      { kind: 'delete', ref: 'refs/choiros/pre-rollback/9', old: 'h9' },
    ]);
  });
});
