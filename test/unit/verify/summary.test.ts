import { describe, expect, it } from 'vitest';
import { parseTestCounts } from '../../../src/verify/summary.js';

describe('parseTestCounts', () => {
  it.each([
    ['vitest', ' Test Files  1 failed | 3 passed (4)\n      Tests  2 failed | 11 passed | 1 skipped (14)\n   Start at  10:00:00', { passed: 11, failed: 2, skipped: 1 }],
    ['vitest all green', '      Tests  12 passed (12)', { passed: 12, failed: 0, skipped: 0 }],
    ['jest', 'Test Suites: 1 failed, 2 passed, 3 total\nTests:       1 failed, 2 skipped, 10 passed, 13 total', { passed: 10, failed: 1, skipped: 2 }],
    ['cargo (summed per binary)', 'test result: ok. 10 passed; 0 failed; 1 ignored; 0 measured\ntest result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured', { passed: 13, failed: 2, skipped: 1 }],
    ['pytest', '========= 3 failed, 10 passed, 1 skipped in 1.20s =========', { passed: 10, failed: 3, skipped: 1 }],
    ['pytest with expected failures', '==== 1 failed, 10 passed, 1 skipped, 2 xfailed, 1 xpassed, 1 error in 0.50s ====', { passed: 11, failed: 2, skipped: 3 }],
    ['mocha', '  10 passing (20ms)\n  1 pending\n  2 failing\n', { passed: 10, failed: 2, skipped: 1 }],
    ['node --test (TAP)', '# tests 4\n# suites 0\n# pass 3\n# fail 1\n# cancelled 0\n# skipped 0', { passed: 3, failed: 1, skipped: 0 }],
    ['node --test with skipped, todo and cancelled tests', '# tests 8\n# suites 0\n# pass 1\n# fail 1\n# cancelled 1\n# skipped 2\n# todo 3\n# duration_ms 152.07', { passed: 1, failed: 2, skipped: 5 }],
    ['tape (todo tests counted among its passes)', '1..7\n# tests 7\n# pass  4\n# todo  1\n# fail  3\n', { passed: 3, failed: 3, skipped: 1 }],
    ['vitest with skipped and todo tests', '      Tests  1 failed | 4 passed | 2 skipped | 3 todo (10)', { passed: 4, failed: 1, skipped: 5 }],
    ['jest with skipped and todo tests', 'Tests:       1 failed, 2 skipped, 3 todo, 4 passed, 10 total', { passed: 4, failed: 1, skipped: 5 }],
  ])('reads %s output', (_name, text, counts) => {
    expect(parseTestCounts(text)).toEqual(counts);
  });

  it('returns undefined for output it does not know', () => {
    expect(parseTestCounts('all good\nbye')).toBeUndefined();
  });
});
