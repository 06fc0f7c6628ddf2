import { describe, expect, it } from 'vitest';
import { CancelledError, ExternalError } from '../../../src/errors.js';
import { isInterrupt } from '../../../src/git/git.js';

const failure = (signal: NodeJS.Signals | undefined) => new ExternalError('git failed while writing the snapshot commit', { command: 'git commit-tree', exitCode: undefined, signal, stderr: '' });

describe('isInterrupt', () => {
  it('takes a git that died of SIGINT for a Ctrl-C, even before the abort signal says so', () => {
    expect(isInterrupt(failure('SIGINT'), new AbortController().signal)).toBe(true);
    expect(isInterrupt(failure('SIGINT'), undefined)).toBe(true);
  });

  it('takes any failure for a Ctrl-C once the signal is aborted, and a cancellation as one', () => {
    const controller = new AbortController();
    controller.abort();
    expect(isInterrupt(new Error('anything'), controller.signal)).toBe(true);
    expect(isInterrupt(new CancelledError(), undefined)).toBe(true);
  });

  it('leaves other git failures as they are: killed otherwise, or exiting with an error', () => {
    expect(isInterrupt(failure('SIGKILL'), undefined)).toBe(false);
    expect(isInterrupt(failure(undefined), new AbortController().signal)).toBe(false);
    expect(isInterrupt(new Error('ENOSPC'), undefined)).toBe(false);
  });
});
