import { describe, expect, it } from 'vitest';
import { formatAnnotation } from '../../../src/git/annotation.js';
import { parseSummary } from '../../../src/git/summary.js';

describe('parseSummary', () => {
  it('finds the current branch and the newest checkpoint with its verdict', () => {
    const records = [
      [' ', 'refs/heads/feature', '1795000000', 'wip'],
      ['*', 'refs/heads/main', '1795000100', 'commit message\nwith a body'],
      [' ', 'refs/tags/checkpoint-20261122-100000', '1795300000', formatAnnotation({ message: 'first', verdict: 'bad', runId: undefined })],
      [' ', 'refs/tags/checkpoint-20261122-110000', '1795303600', formatAnnotation({ message: 'all green', verdict: 'good', runId: 'run-1' })],
    ];
    const stdout = records.map((r) => `${r.join('\0')}\0\n`).join('');
    const summary = parseSummary(stdout);
    expect(summary.branch).toBe('main');
    expect(summary.lastCheckpoint).toEqual({ name: 'checkpoint-20261122-110000', verdict: 'good', message: 'all green', date: new Date(1795303600 * 1000).toISOString() });
  });

  it('reports no branch on a detached HEAD and no checkpoint when there is none', () => {
    expect(parseSummary(`${[' ', 'refs/heads/main', '1', 'm'].join('\0')}\0\n`)).toEqual({ branch: null, lastCheckpoint: null });
    expect(parseSummary('')).toEqual({ branch: null, lastCheckpoint: null });
  });
});
