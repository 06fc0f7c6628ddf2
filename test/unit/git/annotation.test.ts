import { describe, expect, it } from 'vitest';
import { formatAnnotation, parseAnnotation, parseTrailers, withVerdict } from '../../../src/git/annotation.js';

describe('checkpoint annotations', () => {
  it('round-trips message, verdict and run id through the tag text', () => {
    const text = formatAnnotation({ message: 'before the refactor\n\nwith a body', verdict: 'good', runId: 'run-42' });
    expect(text).toBe('before the refactor\n\nwith a body\n\nChoiros-Verdict: good\nChoiros-Run: run-42\n');
    expect(parseAnnotation(text)).toEqual({ message: 'before the refactor\n\nwith a body', verdict: 'good', runId: 'run-42', ours: true });
  });

  it('names an empty message "checkpoint" and leaves out an absent run id', () => {
    expect(formatAnnotation({ message: '  ', verdict: 'unverified', runId: undefined })).toBe('checkpoint\n\nChoiros-Verdict: unverified\n');
  });

  it('flattens a run id with a newline so it cannot forge a trailer', () => {
    const text = formatAnnotation({ message: 'm', verdict: 'bad', runId: 'x\nChoiros-Verdict: good' });
    expect(parseAnnotation(text)).toMatchObject({ verdict: 'bad', runId: 'x Choiros-Verdict: good' });
  });

  it('treats a tag without our trailers as not ours and unverified', () => {
    expect(parseAnnotation('release 1.0\n\nSigned-off-by: someone\n')).toEqual({ message: 'release 1.0', verdict: 'unverified', runId: undefined, ours: false });
    expect(parseAnnotation('x\n\nChoiros-Verdict: maybe\n').ours).toBe(false);
  });

  it('changes only the verdict', () => {
    const text = formatAnnotation({ message: 'try 3', verdict: 'unverified', runId: 'r' });
    expect(parseAnnotation(withVerdict(text, 'bad'))).toEqual({ message: 'try 3', verdict: 'bad', runId: 'r', ours: true });
  });

  it('reads trailers only from a last paragraph made entirely of them', () => {
    expect(parseTrailers('title\n\nChoiros-Target: x\nnot a trailer\n').trailers.size).toBe(0);
    expect([...parseTrailers('title\n\nChoiros-Target: x\nChoiros-Worktree: /w\n').trailers]).toEqual([
      ['target', 'x'],
      ['worktree', '/w'],
    ]);
  });
});
