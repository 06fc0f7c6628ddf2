import { percentOf, read, unreadable, type CoverageReport, type FileCoverage, type Parsed } from './report.js';

/**
 * lcov tracefiles (`SF:` … `end_of_record` per source file), as c8, nyc, vitest, node --test,
 * cargo-llvm-cov and grcov write them. Line coverage comes from `LF`/`LH` (lines found / hit),
 * or from the `DA:line,hits` records when a writer leaves those out; a file listed twice (merged
 * runs) counts each line once. A last record without `end_of_record` means the writer was cut
 * short, and such a file is not trusted.
 */
export function parseLcov(text: string): Parsed<CoverageReport> {
  const files = new Map<string, SourceRecord>();
  let current: SourceRecord | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const colon = line.indexOf(':');
    const key = colon === -1 ? line : line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (key === 'SF') {
      current = files.get(value) ?? { hits: new Map(), found: 0, hit: 0 };
      files.set(value, current);
    } else if (key === 'end_of_record') current = undefined;
    else if (current !== undefined && (key === 'DA' || key === 'LF' || key === 'LH')) {
      const problem = record(current, key, value);
      if (problem !== undefined) return unreadable(`line ${i + 1}: ${problem}`);
    }
  }
  if (files.size === 0) return unreadable('no SF: records: not an lcov file');
  if (current !== undefined) return unreadable('the last record has no end_of_record: the file was cut short');
  const covered: FileCoverage[] = [...files].map(([file, r]) => {
    const found = r.hits.size > 0 ? r.hits.size : r.found;
    const hit = r.hits.size > 0 ? [...r.hits.values()].filter((h) => h > 0).length : r.hit;
    return { file, found, hit, percent: percentOf(hit, found) };
  });
  const found = covered.reduce((sum, f) => sum + f.found, 0);
  const hit = covered.reduce((sum, f) => sum + f.hit, 0);
  return read({ format: 'lcov', percent: percentOf(hit, found), found, hit, files: covered });
}

interface SourceRecord {
  hits: Map<number, number>;
  found: number;
  hit: number;
}

function record(r: SourceRecord, key: 'DA' | 'LF' | 'LH', value: string): string | undefined {
  if (key === 'DA') {
    const [line, hits] = value.split(',').map(Number);
    if (line === undefined || hits === undefined || !Number.isInteger(line) || !Number.isFinite(hits)) return `malformed DA record '${value}'`;
    r.hits.set(line, Math.max(hits, r.hits.get(line) ?? 0));
    return undefined;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) return `malformed ${key} record '${value}'`;
  if (key === 'LF') r.found += n;
  else r.hit += n;
  return undefined;
}
