import { describe, expect, it } from 'vitest';
import { parseCobertura } from '../../../src/verify/parsers/cobertura.js';
import { parseIstanbulSummary } from '../../../src/verify/parsers/istanbul.js';
import { parseLcov } from '../../../src/verify/parsers/lcov.js';
import { fixture } from './fixture.js';

describe('parseLcov', () => {
  it('reads LF/LH per file and in total from node --test coverage', () => {
    expect(parseLcov(fixture('node-test.lcov'))).toEqual({
      kind: 'read',
      report: {
        format: 'lcov',
        percent: (41 / 45) * 100,
        found: 45,
        hit: 41,
        files: [
          { file: 'calc.js', found: 14, hit: 10, percent: (10 / 14) * 100 },
          { file: 'calc.test.js', found: 31, hit: 31, percent: 100 },
        ],
      },
    });
  });

  it('counts DA records when LF/LH are missing, and a file listed twice once per line', () => {
    const lcov = 'SF:a.js\nDA:1,1\nDA:2,0\nend_of_record\nSF:a.js\nDA:2,3\nDA:3,0\nend_of_record\n';
    expect(parseLcov(lcov)).toEqual({ kind: 'read', report: { format: 'lcov', percent: (2 / 3) * 100, found: 3, hit: 2, files: [{ file: 'a.js', found: 3, hit: 2, percent: (2 / 3) * 100 }] } });
  });

  it('gives a null percent for a file with no instrumented lines', () => {
    expect(parseLcov('SF:types.d.ts\nLF:0\nLH:0\nend_of_record')).toMatchObject({ report: { percent: null, files: [{ percent: null }] } });
  });

  it.each([
    ['cut short', fixture('node-test.lcov').slice(0, 200), 'the last record has no end_of_record: the file was cut short'],
    ['empty', '', 'no SF: records: not an lcov file'],
    ['not lcov', '{"total": {}}', 'no SF: records: not an lcov file'],
    ['malformed', 'SF:a.js\nDA:one,1\nend_of_record', "line 2: malformed DA record 'one,1'"],
    ['negative', 'SF:a.js\nLF:-3\nend_of_record', "line 2: malformed LF record '-3'"],
  ])('says an lcov file %s could not be read', (_what, text, reason) => {
    expect(parseLcov(text)).toEqual({ kind: 'unreadable', reason });
  });
});

describe('parseIstanbulSummary', () => {
  it('reads total.lines and each file, computing percents from the counts ("Unknown" is null)', () => {
    expect(parseIstanbulSummary(fixture('istanbul-summary.json'))).toEqual({
      kind: 'read',
      report: {
        format: 'istanbul',
        percent: 77.5,
        found: 40,
        hit: 31,
        files: [
          { file: '/home/dev/shop/src/cart.js', found: 30, hit: 27, percent: 90 },
          { file: '/home/dev/shop/src/format.js', found: 10, hit: 4, percent: 40 },
          { file: '/home/dev/shop/src/types.js', found: 0, hit: 0, percent: null },
        ],
      },
    });
  });

  it.each([
    ['truncated', fixture('istanbul-summary.json').slice(0, 100), 'not JSON: expected an istanbul json-summary object'],
    ['without a total', '{"a.js": {"lines": {"total": 1, "covered": 1}}}', 'no total.lines counts: not an istanbul json-summary'],
    ['impossible', '{"total": {"lines": {"total": 1, "covered": 2}}}', 'no total.lines counts: not an istanbul json-summary'],
  ])('says a %s summary could not be read', (_what, text, reason) => {
    expect(parseIstanbulSummary(text)).toEqual({ kind: 'unreadable', reason });
  });
});

describe('parseCobertura', () => {
  it('reads lines-covered / lines-valid and per-file lines', () => {
    expect(parseCobertura(fixture('cobertura.xml'))).toEqual({
      kind: 'read',
      report: {
        format: 'cobertura',
        percent: (6 / 9) * 100,
        found: 9,
        hit: 6,
        files: [
          { file: 'calc/ops.py', found: 5, hit: 4, percent: 80 },
          { file: 'calc/io.py', found: 4, hit: 2, percent: 50 },
        ],
      },
    });
  });

  it('falls back to line-rate when the counts are missing (old cobertura)', () => {
    expect(parseCobertura('<coverage line-rate="0.825"><packages/></coverage>')).toEqual({ kind: 'read', report: { format: 'cobertura', percent: 82.5, found: null, hit: null, files: [] } });
  });

  it.each([
    ['truncated', fixture('cobertura.xml').slice(0, 600), /^not valid XML \(line \d+: unexpected end of input/],
    ['without a rate', '<coverage/>', /^<coverage> has neither lines-valid\/lines-covered nor a line-rate between 0 and 1$/],
    ['JUnit', '<testsuites/>', /^expected <coverage> at the root, found <testsuites>$/],
  ])('says a %s report could not be read', (_what, text, reason) => {
    const parsed = parseCobertura(text);
    expect(parsed.kind).toBe('unreadable');
    if (parsed.kind === 'unreadable') expect(parsed.reason).toMatch(reason);
  });
});
