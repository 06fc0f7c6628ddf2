import { lintReport, read, unreadable, type LintProblem, type LintReport, type Parsed } from './report.js';
import { isRecord, parseJsonIn, positiveInt, stringField } from './text.js';

/**
 * `eslint -f json`: an array with one entry per file, `{ filePath, messages: [{ ruleId,
 * severity: 1 | 2, message, line, column, fatal? }] }`. Severity 2 is an error (a parse error is
 * a fatal error with no rule), 1 a warning. Suppressed messages are not counted.
 */
export function parseEslintJson(text: string): Parsed<LintReport> {
  const json = parseJsonIn(text, '[');
  if (!Array.isArray(json)) return unreadable('no eslint JSON report (an array of files) found');
  const problems: LintProblem[] = [];
  for (const file of json) {
    if (!isRecord(file) || !Array.isArray(file.messages)) return unreadable('not an eslint JSON report: a file entry has no messages list');
    for (const message of file.messages) {
      if (!isRecord(message)) continue;
      problems.push({
        severity: message.severity === 2 ? 'error' : 'warning',
        file: stringField(file, 'filePath'),
        line: positiveInt(message.line),
        column: positiveInt(message.column),
        rule: stringField(message, 'ruleId'),
        message: stringField(message, 'message') ?? '',
      });
    }
  }
  return read(lintReport('eslint', problems));
}
