import { lintReport, read, unreadable, type LintProblem, type LintReport, type Parsed } from './report.js';
import { isRecord, parseJson, positiveInt, stringField } from './text.js';

/**
 * `cargo clippy --message-format=json` (and `cargo check`/`build`): one JSON object per line;
 * the `compiler-message` ones carry rustc's diagnostic with a `level` and `spans`. Warnings and
 * errors are counted; notes and help are not. The same diagnostic reported for two targets
 * (`--all-targets` checks the library twice, once as a test) is counted once, as cargo itself
 * prints it. Summary diagnostics without a span ("aborting due to 2 previous errors", "3 warnings
 * emitted") are not problems of their own.
 */
export function parseClippyJson(text: string): Parsed<LintReport> {
  const problems: LintProblem[] = [];
  const seen = new Set<string>();
  let cargoLines = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('{')) continue;
    const json = parseJson(line);
    if (!isRecord(json) || typeof json.reason !== 'string') continue;
    cargoLines++;
    if (json.reason !== 'compiler-message' || !isRecord(json.message)) continue;
    const problem = toProblem(json.message);
    if (problem === undefined) continue;
    const key = JSON.stringify(problem);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  if (cargoLines === 0) return unreadable('no cargo JSON messages found (was --message-format=json given?)');
  return read(lintReport('clippy', problems));
}

const SUMMARY = /^(aborting due to|\d+ warnings? emitted|\d+ errors?.*emitted)/;

function toProblem(message: Record<string, unknown>): LintProblem | undefined {
  const level = stringField(message, 'level') ?? '';
  const severity = level === 'warning' ? 'warning' : level.startsWith('error') ? 'error' : undefined;
  if (severity === undefined) return undefined;
  const text = stringField(message, 'message') ?? '';
  const spans = Array.isArray(message.spans) ? message.spans.filter(isRecord) : [];
  if (spans.length === 0 && SUMMARY.test(text)) return undefined;
  const span = spans.find((s) => s.is_primary === true) ?? spans[0];
  return {
    severity,
    file: span === undefined ? null : stringField(span, 'file_name'),
    line: span === undefined ? null : positiveInt(span.line_start),
    column: span === undefined ? null : positiveInt(span.column_start),
    rule: isRecord(message.code) ? stringField(message.code, 'code') : null,
    message: text,
  };
}
