import { describe, expect, it } from 'vitest';
import { parseJunit } from '../../../src/verify/parsers/junit.js';
import { fixture } from './fixture.js';

describe('parseJunit', () => {
  it("reads vitest's JUnit report: counts, names with their suites, file and assertion line", () => {
    expect(parseJunit(fixture('vitest-junit.xml'))).toEqual({
      kind: 'read',
      report: {
        format: 'junit',
        total: 8,
        passed: 3,
        failed: 3,
        errored: 0,
        skipped: 2,
        failures: [
          {
            name: 'src/broken.test.js',
            file: 'src/broken.test.js',
            line: 2,
            message: "Cannot find module './does-not-exist.js' imported from /tmp/vfx/vt/src/broken.test.js",
            outcome: 'failed',
          },
          { name: 'math > subtracts', file: 'src/math.test.js', line: 9, message: 'expected 1 to be 3 // Object.is equality', outcome: 'failed' },
          { name: 'throws on purpose', file: 'src/strings.test.js', line: 8, message: 'cannot read properties of undefined (reading "name")', outcome: 'failed' },
        ],
      },
    });
  });

  it("tells pytest's errors from failures and takes the line from the traceback over the 0-based attribute", () => {
    const parsed = parseJunit(fixture('pytest-junit.xml'));
    expect(parsed).toMatchObject({ kind: 'read', report: { total: 5, passed: 2, failed: 1, errored: 1, skipped: 1 } });
    if (parsed.kind !== 'read') return;
    expect(parsed.report.failures).toEqual([
      { name: 'tests.test_calc > test_adds_wrong', file: 'tests/test_calc.py', line: 13, message: 'assert 4 == 5\n+  where 4 = add(2, 2)', outcome: 'failed' },
      { name: 'tests.test_calc > test_uses_broken_fixture', file: 'tests/test_calc.py', line: 18, message: 'failed on setup with "RuntimeError: fixture exploded"', outcome: 'errored' },
    ]);
  });

  it('counts test cases in nested testsuites and finds the test class frame in a Java stack', () => {
    const parsed = parseJunit(fixture('junit-nested.xml'));
    expect(parsed).toMatchObject({ kind: 'read', report: { total: 6, passed: 3, failed: 1, errored: 1, skipped: 1 } });
    if (parsed.kind !== 'read') return;
    expect(parsed.report.failures).toEqual([
      { name: 'com.example.MathTest > divides', file: 'MathTest.java', line: 21, message: 'expected:<2> but was:<3>', outcome: 'failed' },
      {
        name: 'com.example.io.FileTest > reads',
        file: 'src/test/java/com/example/io/FileTest.java',
        line: 16,
        message: 'java.io.FileNotFoundException: data.txt (No such file or directory)',
        outcome: 'errored',
      },
    ]);
  });

  it('reads a lone testsuite root and uses the file and line attributes when the failure text has no location', () => {
    const xml = '<testsuite><testcase name="t" file="a.test.js" line="4"><failure>boom</failure></testcase><testcase name="u"/></testsuite>';
    expect(parseJunit(xml)).toEqual({
      kind: 'read',
      report: { format: 'junit', total: 2, passed: 1, failed: 1, errored: 0, skipped: 0, failures: [{ name: 't', file: 'a.test.js', line: 4, message: 'boom', outcome: 'failed' }] },
    });
  });

  it('counts from the test cases, not from attributes that disagree with them', () => {
    const xml = '<testsuites tests="99" failures="0"><testsuite tests="1"><testcase name="a"/><testcase name="b"><error type="Boom"/></testcase></testsuite></testsuites>';
    expect(parseJunit(xml)).toMatchObject({ kind: 'read', report: { total: 2, passed: 1, errored: 1, failures: [{ name: 'b', message: 'Boom' }] } });
  });

  it.each([
    ['truncated', fixture('vitest-junit.xml').slice(0, 900), /^not valid XML \(line 14: unexpected end of input in <testsuite>\)$/],
    ['cut inside a failure', fixture('vitest-junit.xml').slice(0, 1300), /^not valid XML \(line 21: unexpected end of input inside <failure>\)$/],
    ['not JUnit', '<coverage line-rate="1"/>', /^expected <testsuites> or <testsuite> at the root, found <coverage>$/],
    ['empty', '', /^not valid XML \(line 1: no root element\)$/],
  ])('says a %s report could not be read', (_what, xml, reason) => {
    const parsed = parseJunit(xml);
    expect(parsed.kind).toBe('unreadable');
    if (parsed.kind === 'unreadable') expect(parsed.reason).toMatch(reason);
  });
});
