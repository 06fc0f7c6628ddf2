import { describe, expect, it } from 'vitest';
import { activeTime } from '../../../src/ledger/run-list.js';

describe("a run's going time", () => {
  it('runs from the start to the end of a run that never stopped', () => {
    expect(activeTime([{ at: 0, going: true }, { at: 90_000, going: false }], 500_000)).toBe(90_000);
  });

  it('leaves out the time a run stood stopped before it was resumed', () => {
    const marks = [
      { at: 0, going: true },
      { at: 10_000, going: false }, // waits for approval
      { at: 65_000, going: true }, // resumed
      { at: 75_000, going: false },
    ];
    expect(activeTime(marks, 1_000_000)).toBe(20_000);
  });

  it('counts up to now while the run goes, and ignores a repeated mark', () => {
    const marks = [
      { at: 0, going: true },
      { at: 5_000, going: true },
      { at: 10_000, going: false },
      { at: 12_000, going: false },
      { at: 30_000, going: true },
    ];
    expect(activeTime(marks, 40_000)).toBe(20_000);
  });
});
