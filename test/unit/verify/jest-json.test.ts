import { describe, expect, it } from 'vitest';
import { parseJestJson, parseVitestJson } from '../../../src/verify/parsers/jest-json.js';
import { fixture } from './fixture.js';

describe('parseVitestJson and parseJestJson', () => {
  it("reads vitest's JSON report: a file that failed to import is one errored test", () => {
    expect(parseVitestJson(fixture('vitest.json'))).toEqual({
      kind: 'read',
      report: {
        format: 'vitest',
        total: 8,
        passed: 3,
        failed: 2,
        errored: 1,
        skipped: 2,
        failures: [
          {
            name: '/tmp/vfx/vt/src/broken.test.js',
            file: '/tmp/vfx/vt/src/broken.test.js',
            line: null,
            message: "Cannot find module './does-not-exist.js' imported from /tmp/vfx/vt/src/broken.test.js",
            outcome: 'errored',
          },
          { name: 'math > subtracts', file: '/tmp/vfx/vt/src/math.test.js', line: 9, message: 'AssertionError: expected 1 to be 3 // Object.is equality', outcome: 'failed' },
          { name: 'throws on purpose', file: '/tmp/vfx/vt/src/strings.test.js', line: 8, message: 'TypeError: cannot read properties of undefined (reading "name")', outcome: 'failed' },
        ],
      },
    });
  });

  it('reads jest --json: escape sequences removed, the assertion frame over the declared location, testExecError for a broken suite', () => {
    expect(parseJestJson(fixture('jest.json'))).toEqual({
      kind: 'read',
      report: {
        format: 'jest',
        total: 7,
        passed: 3,
        failed: 1,
        errored: 1,
        skipped: 2,
        failures: [
          {
            name: 'cart > totals > sums prices',
            file: '/home/dev/shop/src/cart.test.js',
            line: 14,
            message: 'Error: expect(received).toBe(expected) // Object.is equality\nExpected: 42\nReceived: 41',
            outcome: 'failed',
          },
          { name: '/home/dev/shop/src/checkout.test.js', file: '/home/dev/shop/src/checkout.test.js', line: 2, message: "Cannot find module './tax' from 'src/checkout.test.js'", outcome: 'errored' },
        ],
      },
    });
  });

  it('finds the report among other lines on stdout (npm banners, console output)', () => {
    const stdout = `\n> shop@1.0.0 test\n> jest --json\n\n${fixture('jest.json')}\nDone in 3.1s.\n`;
    expect(parseJestJson(stdout)).toMatchObject({ kind: 'read', report: { total: 7, passed: 3 } });
  });

  it.each([
    ['truncated', fixture('vitest.json').slice(0, 2000), 'no vitest JSON report found'],
    ['not a test report', '{"numTotalTests": 3}', 'not a vitest JSON report: no testResults list'],
    ['a list', '[1, 2]', 'not a vitest JSON report: no testResults list'],
    ['a broken entry', '{"testResults": [3]}', 'not a vitest JSON report: a testResults entry is not an object'],
  ])('says a %s report could not be read', (_what, text, reason) => {
    expect(parseVitestJson(text)).toEqual({ kind: 'unreadable', reason });
  });
});
