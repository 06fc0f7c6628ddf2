import { describe, expect, it } from 'vitest';
import { choiros } from '../../../src/cli/choiros.js';
import { parseSince } from '../../../src/cli/commands/runs.js';
import { runProgram } from '../../../src/cli/runner.js';
import { captureIo } from '../../helpers/io.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');

describe('choiros runs --since', () => {
  it('takes an ISO date or time, or a duration back from now', () => {
    expect(parseSince('7d', NOW)).toBe('2026-11-15T12:00:00.000Z');
    expect(parseSince('1h30m', NOW)).toBe('2026-11-22T10:30:00.000Z');
    expect(parseSince('2026-11-01', NOW)).toBe('2026-11-01T00:00:00.000Z');
    expect(parseSince('2026-11-01T10:00:00Z', NOW)).toBe('2026-11-01T10:00:00.000Z');
  });

  it('refuses a signed duration, a bare number, nothing, or what only Date.parse would guess at, saying what it takes', () => {
    expect(() => parseSince('-5d', NOW)).toThrow('--since -5d: a duration already counts back from now, so it takes no sign.');
    expect(() => parseSince('5', NOW)).toThrow("--since: expected an ISO date or time (2026-11-01, 2026-11-01T10:00:00Z) or a duration back from now (30m, 12h, 7d, 1h30m), got '5'.");
    expect(() => parseSince('', NOW)).toThrow('--since needs a value: an ISO date or time');
    expect(() => parseSince('Nov 1', NOW)).toThrow("got 'Nov 1'");
  });

  it('names a negative value on the command line instead of reading it as the flags -5 and -d (exit 2)', async () => {
    for (const argv of [['runs', '--since', '-5d'], ['runs', '--since=-5d']]) {
      const captured = captureIo();
      expect(await runProgram(choiros, argv, captured.io), argv.join(' ')).toBe(2);
      expect(captured.stderr()).toBe('error: --since -5d: a duration already counts back from now, so it takes no sign.\n  choiros runs --since 5d\n');
    }
  });
});
