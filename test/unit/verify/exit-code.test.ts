import { describe, expect, it } from 'vitest';
import { judgeExit, type ExitFacts } from '../../../src/verify/parsers/exit-code.js';

const ended = (facts: Partial<ExitFacts>): ExitFacts => ({ exitCode: 0, signal: undefined, timedOut: false, canceled: false, spawnError: undefined, ...facts });

describe('judgeExit', () => {
  it.each([
    [ended({}), { kind: 'passed' }],
    [ended({ exitCode: 1 }), { kind: 'failed', meaning: 'exited 1' }],
    [ended({ exitCode: 137 }), { kind: 'failed', meaning: 'exited 137 (killed)' }],
    [ended({ exitCode: undefined, signal: 'SIGSEGV' }), { kind: 'failed', meaning: 'killed by SIGSEGV' }],
    [ended({ exitCode: 127 }), { kind: 'error', reason: 'could not start: exited 127 (command not found)' }],
    [ended({ exitCode: 126 }), { kind: 'error', reason: 'could not start: exited 126 (not executable)' }],
    [ended({ exitCode: 127, spawnError: 'spawn npx ENOENT' }), { kind: 'error', reason: 'could not start: spawn npx ENOENT' }],
    [ended({ exitCode: undefined, signal: 'SIGTERM', timedOut: true }), { kind: 'error', reason: 'timed out after 10m00s' }],
    [ended({ exitCode: undefined, signal: 'SIGTERM', canceled: true }), { kind: 'error', reason: 'canceled' }],
    [ended({ exitCode: undefined, idleTimedOut: true }), { kind: 'error', reason: 'stopped producing output and was ended' }],
  ])('judges %j', (facts, judgement) => {
    expect(judgeExit(facts, 600_000)).toEqual(judgement);
  });

  it('never calls a timeout a pass, even when the killed command exited 0', () => {
    expect(judgeExit(ended({ exitCode: 0, timedOut: true }))).toEqual({ kind: 'error', reason: 'timed out' });
  });
});
