import { percentOf, read, unreadable, type CoverageReport, type FileCoverage, type Parsed } from './report.js';
import { isRecord, parseJson } from './text.js';

/**
 * istanbul's `json-summary` (`coverage/coverage-summary.json` from nyc, c8, jest and vitest):
 * `{ total: { lines: { total, covered, pct } … }, "/path/file.js": { lines: … } }`. The percent
 * is computed from `covered / total` rather than read from `pct`, which is rounded and is the
 * string "Unknown" when a file has no lines.
 */
export function parseIstanbulSummary(text: string): Parsed<CoverageReport> {
  const json = parseJson(text);
  if (!isRecord(json)) return unreadable('not JSON: expected an istanbul json-summary object');
  const total = lineCounts(json.total);
  if (total === undefined) return unreadable('no total.lines counts: not an istanbul json-summary');
  const files: FileCoverage[] = [];
  for (const [file, entry] of Object.entries(json)) {
    if (file === 'total') continue;
    const counts = lineCounts(entry);
    if (counts !== undefined) files.push({ file, found: counts.total, hit: counts.covered, percent: percentOf(counts.covered, counts.total) });
  }
  return read({ format: 'istanbul', percent: percentOf(total.covered, total.total), found: total.total, hit: total.covered, files });
}

function lineCounts(entry: unknown): { total: number; covered: number } | undefined {
  if (!isRecord(entry) || !isRecord(entry.lines)) return undefined;
  const { total, covered } = entry.lines;
  if (typeof total !== 'number' || typeof covered !== 'number' || total < 0 || covered < 0 || covered > total) return undefined;
  return { total, covered };
}
