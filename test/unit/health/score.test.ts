import { describe, expect, it } from 'vitest';
import { healthyCheckpoint } from '../../../src/health/checkpoints.js';
import { csvProblem } from '../../../src/health/probes.js';
import { check, healthScore, statusOf } from '../../../src/health/score.js';

describe('the health score', () => {
  it('weights files 30%, config 25%, data 20%, assets 15% and dependencies 10%', () => {
    const report = healthScore({ critical_files: check(1, 2), config: check(1, 1), data: check(3, 4), assets: check(0, 0), dependencies: check(0, 5) });
    expect(report.parts.map((p) => [p.name, p.score, p.weight])).toEqual([
      ['critical_files', 50, 30],
      ['config', 100, 25],
      ['data', 75, 20],
      ['assets', 100, 15],
      ['dependencies', 0, 10],
    ]);
    expect(report.score).toBe(15 + 25 + 15 + 15 + 0);
    expect(report.status).toBe('warning');
  });

  it('is Healthy from 80, Warning from 60 and Critical below', () => {
    expect([statusOf(100), statusOf(80), statusOf(79.9), statusOf(60), statusOf(59.9)]).toEqual(['healthy', 'healthy', 'warning', 'warning', 'critical']);
  });
});

describe('choosing the checkpoint to roll back to', () => {
  const checkpoints = [
    { name: 'checkpoint-3', createdAt: '2026-11-22T12:00:00.000Z', commit: 'c3' },
    { name: 'checkpoint-1', createdAt: '2026-11-22T10:00:00.000Z', commit: 'c1' },
    { name: 'checkpoint-2', createdAt: '2026-11-22T11:00:00.000Z', commit: 'c2' },
  ];

  const never = async () => {
    throw new Error('not scored: a recorded score decides');
  };

  it('takes the newest checkpoint whose latest recorded score is healthy', async () => {
    const scores = [
      { checkpoint: 'checkpoint-1', score: 95, time: '2026-11-22T10:00:01.000Z' },
      { checkpoint: 'checkpoint-2', score: 90, time: '2026-11-22T11:00:01.000Z' },
      { checkpoint: 'checkpoint-2', score: 70, time: '2026-11-22T11:30:00.000Z' },
      { checkpoint: 'checkpoint-3', score: 40, time: '2026-11-22T12:00:01.000Z' },
    ];
    expect(await healthyCheckpoint(checkpoints, scores, never)).toEqual({ checkpoint: checkpoints[1], score: 95 });
  });

  it('scores the trees of checkpoints never scored, newest first, and stops at the first healthy one; a bad one is never chosen', async () => {
    const scored: string[] = [];
    const trees: Record<string, number> = { 'checkpoint-3': 100, 'checkpoint-2': 85, 'checkpoint-1': 99 };
    const score = async (c: { name: string }) => (scored.push(c.name), trees[c.name]);
    const marked = checkpoints.map((c) => (c.name === 'checkpoint-3' ? { ...c, verdict: 'bad' as const } : c));
    expect(await healthyCheckpoint(marked, [{ checkpoint: 'checkpoint-2', score: 50, time: 't' }], score)).toEqual({ checkpoint: checkpoints[1], score: 99 });
    expect(scored).toEqual(['checkpoint-1']);
  });

  it('finds none when no checkpoint is healthy', async () => {
    expect(await healthyCheckpoint(checkpoints, [{ checkpoint: 'checkpoint-3', score: 79.9, time: 't' }], async () => 60)).toBeUndefined();
    expect(await healthyCheckpoint([], [], never)).toBeUndefined();
  });
});

describe('file checks', () => {
  it('accepts RFC 4180 CSV with quoted commas and newlines, and names a short row', () => {
    expect(csvProblem('a,b,c\n1,"x, y",3\n4,"line\none",6\n')).toBeUndefined();
    expect(csvProblem('a,b,c\r\n1,2,3\r\n4,5\r\n')).toBe('row 2 has 2 fields, the header 3');
    expect(csvProblem('a,b\n"open,2\n')).toBe('an unterminated quoted field');
  });
});
