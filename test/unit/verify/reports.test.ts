import { describe, expect, it } from 'vitest';
import { GateSchema } from '../../../src/config/schema.js';
import { describeSource, parseReport, reportSources } from '../../../src/verify/reports.js';

describe('reportSources', () => {
  it('reads `true` as stdout and a string as a file, in a fixed order, and skips `false`', () => {
    const gate = GateSchema.parse({ run: 'x', eslint_json: 'lint.json', tap: true, lcov: 'coverage/lcov.info', vitest_json: false, cargo: true, clippy_json: true });
    expect(reportSources(gate)).toEqual([
      { kind: 'tap', from: { type: 'stdout' } },
      { kind: 'cargo', from: { type: 'stdout' } },
      { kind: 'lcov', from: { type: 'file', path: 'coverage/lcov.info' } },
      { kind: 'eslint', from: { type: 'file', path: 'lint.json' } },
      { kind: 'clippy', from: { type: 'stdout' } },
    ]);
  });

  it('names nothing for a gate judged by its exit code alone', () => {
    expect(reportSources(GateSchema.parse({ run: 'make check' }))).toEqual([]);
  });
});

describe('parseReport', () => {
  it('says which report could not be read and why', () => {
    const source = { kind: 'junit', from: { type: 'file', path: 'reports/junit.xml' } } as const;
    expect(describeSource(source)).toBe('JUnit report reports/junit.xml');
    expect(parseReport(source, '<testsuites>')).toEqual({
      type: 'problem',
      source: 'JUnit report reports/junit.xml',
      reason: 'JUnit report reports/junit.xml could not be read: not valid XML (line 1: unexpected end of input inside <testsuites>)',
    });
  });

  it('files each report under tests, coverage or lint', () => {
    expect(parseReport({ kind: 'tap', from: { type: 'stdout' } }, '1..1\nok 1 - a')).toMatchObject({ type: 'tests', source: 'TAP on stdout' });
    expect(parseReport({ kind: 'lcov', from: { type: 'file', path: 'l.info' } }, 'SF:a\nLF:1\nLH:1\nend_of_record')).toMatchObject({ type: 'coverage', report: { percent: 100 } });
    expect(parseReport({ kind: 'clippy', from: { type: 'stdout' } }, '{"reason":"build-finished","success":true}')).toMatchObject({ type: 'lint', report: { warnings: 0 } });
  });
});
