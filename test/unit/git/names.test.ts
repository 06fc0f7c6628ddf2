import { describe, expect, it } from 'vitest';
import { candidateName, checkpointName, firstFreeName, gitDate, handleName, handleNumber, handleRef } from '../../../src/git/names.js';

describe('checkpoint names', () => {
  it('formats checkpoint-YYYYMMDD-HHMMSS in local time', () => {
    expect(checkpointName(new Date(2026, 0, 30, 12, 0, 5))).toBe('checkpoint-20260130-120005');
    expect(checkpointName(new Date(2026, 11, 1, 9, 8, 7))).toBe('checkpoint-20261201-090807');
  });

  it('adds -2, -3 … when the second is taken', () => {
    expect(candidateName('checkpoint-20260130-120000', 1)).toBe('checkpoint-20260130-120000');
    expect(firstFreeName('c', new Set(['c', 'c-2']))).toBe('c-3');
    expect(firstFreeName('c', new Set())).toBe('c');
  });

  it('numbers undo handles and reads the numbers back', () => {
    expect(handleRef(7)).toBe('refs/choiros/pre-rollback/7');
    expect(handleNumber('refs/choiros/pre-rollback/12')).toBe(12);
    expect(handleNumber('refs/choiros/pre-rollback/07')).toBeUndefined();
    expect(handleNumber('refs/tags/x')).toBeUndefined();
    expect(handleName('refs/choiros/pre-rollback/3')).toBe('pre-rollback/3');
  });

  it("writes git's raw date with the local offset", () => {
    const date = new Date(1_700_000_000_000);
    expect(gitDate(date)).toMatch(/^1700000000 [+-]\d{4}$/);
  });
});
