import type { GateConfig } from '../config/schema.js';
import { parseCargoTest } from './parsers/cargo.js';
import { parseClippyJson } from './parsers/clippy.js';
import { parseCobertura } from './parsers/cobertura.js';
import { parseEslintJson } from './parsers/eslint.js';
import { parseIstanbulSummary } from './parsers/istanbul.js';
import { parseJestJson, parseVitestJson } from './parsers/jest-json.js';
import { parseJunit } from './parsers/junit.js';
import { parseLcov } from './parsers/lcov.js';
import type { CoverageReport, LintReport, Parsed, TestReport } from './parsers/report.js';
import { parseTap } from './parsers/tap.js';

/** Which reports a gate names, where each comes from, and how each is parsed. Pure. */

export type ReportKind = 'junit' | 'tap' | 'vitest' | 'jest' | 'cargo' | 'lcov' | 'istanbul' | 'cobertura' | 'eslint' | 'clippy';

export interface ReportSource {
  kind: ReportKind;
  /** `stdout`, or a file path relative to the gate's working directory. */
  from: { type: 'stdout' } | { type: 'file'; path: string };
}

/** A report as the gate saw it: parsed, or the reason it could not be trusted. */
export type GateReport =
  | { type: 'tests'; source: string; report: TestReport }
  | { type: 'coverage'; source: string; report: CoverageReport }
  | { type: 'lint'; source: string; report: LintReport }
  | { type: 'problem'; source: string; reason: string };

/** The gate's report keys, in the order they are read. `true` means stdout; a string, a file. */
const KEYS: ReadonlyArray<readonly [keyof GateConfig, ReportKind]> = [
  ['junit', 'junit'],
  ['tap', 'tap'],
  ['vitest_json', 'vitest'],
  ['jest_json', 'jest'],
  ['cargo', 'cargo'],
  ['lcov', 'lcov'],
  ['istanbul', 'istanbul'],
  ['cobertura', 'cobertura'],
  ['eslint_json', 'eslint'],
  ['clippy_json', 'clippy'],
];

export function reportSources(gate: GateConfig): ReportSource[] {
  const sources: ReportSource[] = [];
  for (const [key, kind] of KEYS) {
    const value = gate[key];
    if (value === true) sources.push({ kind, from: { type: 'stdout' } });
    else if (typeof value === 'string' && value !== '') sources.push({ kind, from: { type: 'file', path: value } });
  }
  return sources;
}

/** What a report of this kind measures. */
export function reportType(kind: ReportKind): 'tests' | 'coverage' | 'lint' {
  if (kind === 'lcov' || kind === 'istanbul' || kind === 'cobertura') return 'coverage';
  if (kind === 'eslint' || kind === 'clippy') return 'lint';
  return 'tests';
}

const LABELS: Record<ReportKind, string> = {
  junit: 'JUnit report',
  tap: 'TAP',
  vitest: 'vitest JSON report',
  jest: 'jest JSON report',
  cargo: 'cargo test output',
  lcov: 'lcov report',
  istanbul: 'istanbul summary',
  cobertura: 'cobertura report',
  eslint: 'eslint JSON report',
  clippy: 'clippy JSON output',
};

/** `JUnit report reports/junit.xml`, `TAP on stdout`: how reasons name a report. */
export function describeSource(source: ReportSource): string {
  return source.from.type === 'stdout' ? `${LABELS[source.kind]} on stdout` : `${LABELS[source.kind]} ${source.from.path}`;
}

/** Parses a report's text with the parser its kind names. */
export function parseReport(source: ReportSource, text: string): GateReport {
  const name = describeSource(source);
  const wrap = <T>(parsed: Parsed<T>, make: (report: T) => GateReport): GateReport =>
    parsed.kind === 'read' ? make(parsed.report) : { type: 'problem', source: name, reason: `${name} could not be read: ${parsed.reason}` };
  const tests = (report: TestReport): GateReport => ({ type: 'tests', source: name, report });
  const coverage = (report: CoverageReport): GateReport => ({ type: 'coverage', source: name, report });
  const lint = (report: LintReport): GateReport => ({ type: 'lint', source: name, report });
  switch (source.kind) {
    case 'junit':
      return wrap(parseJunit(text), tests);
    case 'tap':
      return wrap(parseTap(text), tests);
    case 'vitest':
      return wrap(parseVitestJson(text), tests);
    case 'jest':
      return wrap(parseJestJson(text), tests);
    case 'cargo':
      return wrap(parseCargoTest(text), tests);
    case 'lcov':
      return wrap(parseLcov(text), coverage);
    case 'istanbul':
      return wrap(parseIstanbulSummary(text), coverage);
    case 'cobertura':
      return wrap(parseCobertura(text), coverage);
    case 'eslint':
      return wrap(parseEslintJson(text), lint);
    case 'clippy':
      return wrap(parseClippyJson(text), lint);
  }
}
