import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCargoTest } from '../../../src/verify/parsers/cargo.js';
import { parseClippyJson } from '../../../src/verify/parsers/clippy.js';
import { parseCobertura } from '../../../src/verify/parsers/cobertura.js';
import { parseEslintJson } from '../../../src/verify/parsers/eslint.js';
import { parseIstanbulSummary } from '../../../src/verify/parsers/istanbul.js';
import { parseJestJson, parseVitestJson } from '../../../src/verify/parsers/jest-json.js';
import { parseJunit } from '../../../src/verify/parsers/junit.js';
import { parseLcov } from '../../../src/verify/parsers/lcov.js';
import type { Parsed } from '../../../src/verify/parsers/report.js';
import { parseTap } from '../../../src/verify/parsers/tap.js';
import { fixture } from './fixture.js';

/** Every parser with the real samples it reads. */
const PARSERS: ReadonlyArray<[string, (text: string) => Parsed<unknown>, string[]]> = [
  ['junit', parseJunit, ['vitest-junit.xml', 'pytest-junit.xml', 'junit-nested.xml']],
  ['tap', parseTap, ['node-test.tap', 'tap14-subtests.tap']],
  ['vitest', parseVitestJson, ['vitest.json']],
  ['jest', parseJestJson, ['jest.json']],
  ['cargo', parseCargoTest, ['cargo-test-fail.txt', 'cargo-test-2to1.txt']],
  ['lcov', parseLcov, ['node-test.lcov']],
  ['istanbul', parseIstanbulSummary, ['istanbul-summary.json']],
  ['cobertura', parseCobertura, ['cobertura.xml']],
  ['eslint', parseEslintJson, ['eslint.json']],
  ['clippy', parseClippyJson, ['clippy.jsonl']],
];

const isResult = (parsed: Parsed<unknown>) => (parsed.kind === 'read' ? parsed.report !== undefined : parsed.reason.length > 0);

describe.each(PARSERS)('the %s parser', (_name, parse, samples) => {
  it('never throws on its samples cut at any point: it reads them or says why not', () => {
    for (const sample of samples.map(fixture)) {
      for (let cut = 0; cut < sample.length; cut += Math.max(1, Math.floor(sample.length / 97))) {
        expect(isResult(parse(sample.slice(0, cut)))).toBe(true);
      }
    }
  });

  it('never throws on random text or on samples with random damage', () => {
    const samples_ = samples.map(fixture);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.nat(), fc.nat(), (junk, at, sampleIndex) => {
        const sample = samples_[sampleIndex % samples_.length] ?? '';
        const position = at % (sample.length + 1);
        expect(isResult(parse(junk))).toBe(true);
        expect(isResult(parse(sample.slice(0, position) + junk + sample.slice(position)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('truncated structured reports', () => {
  it.each([
    ['JUnit', parseJunit, 'vitest-junit.xml'],
    ['cobertura', parseCobertura, 'cobertura.xml'],
    ['vitest JSON', parseVitestJson, 'vitest.json'],
    ['jest JSON', parseJestJson, 'jest.json'],
    ['eslint JSON', parseEslintJson, 'eslint.json'],
    ['istanbul', parseIstanbulSummary, 'istanbul-summary.json'],
  ] as const)('a %s report cut anywhere is never read as a (partial) report', (_name, parse, name) => {
    const sample = fixture(name).trimEnd();
    for (let cut = 0; cut < sample.length; cut += 7) {
      expect(parse(sample.slice(0, cut)).kind).toBe('unreadable');
    }
  });
});
