import { read, testReport, unreadable, type FailedTest, type Parsed, type TestReport } from './report.js';
import { findLocation, isRecord, parseJsonIn, positiveInt, shortMessage, stringField } from './text.js';

/**
 * `jest --json` and vitest's `json` reporter, which copies jest's shape: `testResults`, one per
 * test file, each with `assertionResults` (one per test, `status` passed / failed / pending /
 * skipped / todo / disabled). A file that failed without a failing test (a broken import, a
 * syntax error: jest's `testExecError`) counts as one errored test named after the file.
 */
export function parseJestJson(text: string): Parsed<TestReport> {
  return parseTestJson(text, 'jest');
}

export function parseVitestJson(text: string): Parsed<TestReport> {
  return parseTestJson(text, 'vitest');
}

const SKIPPED = new Set(['pending', 'skipped', 'todo', 'disabled']);

function parseTestJson(text: string, format: 'jest' | 'vitest'): Parsed<TestReport> {
  const json = parseJsonIn(text, '{');
  if (json === undefined) return unreadable(`no ${format} JSON report found`);
  if (!isRecord(json) || !Array.isArray(json.testResults)) return unreadable(`not a ${format} JSON report: no testResults list`);
  let passed = 0;
  let skipped = 0;
  const failures: FailedTest[] = [];
  for (const file of json.testResults) {
    if (!isRecord(file)) return unreadable(`not a ${format} JSON report: a testResults entry is not an object`);
    const path = stringField(file, 'name');
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults.filter(isRecord) : [];
    let fileFailures = 0;
    for (const test of tests) {
      const status = stringField(test, 'status');
      if (status === 'passed') passed++;
      else if (status !== null && SKIPPED.has(status)) skipped++;
      else {
        fileFailures++;
        failures.push(failedTest(test, path));
      }
    }
    if (fileFailures === 0 && stringField(file, 'status') === 'failed') failures.push(brokenFile(file, path));
  }
  return read(testReport(format, { passed, skipped }, failures));
}

function failedTest(test: Record<string, unknown>, file: string | null): FailedTest {
  const ancestors = Array.isArray(test.ancestorTitles) ? test.ancestorTitles.filter((t): t is string => typeof t === 'string') : [];
  const messages = Array.isArray(test.failureMessages) ? test.failureMessages.filter((m): m is string => typeof m === 'string') : [];
  // The failing assertion's frame beats `location`, which is where the test is declared.
  const frame = findLocation(messages.join('\n'), [file]);
  const declared = isRecord(test.location) ? positiveInt(test.location.line) : null;
  const frameFits = frame !== null && file !== null && frame.file.endsWith(file.replace(/^.*\//, ''));
  return {
    name: [...ancestors, stringField(test, 'title') ?? '(unnamed test)'].join(' > '),
    file: file ?? frame?.file ?? null,
    line: frameFits ? frame.line : (declared ?? frame?.line ?? null),
    message: messages.length === 0 ? `status: ${stringField(test, 'status') ?? 'unknown'}` : shortMessage(messages[0] ?? ''),
    outcome: 'failed',
  };
}

function brokenFile(file: Record<string, unknown>, path: string | null): FailedTest {
  const execError = isRecord(file.testExecError) ? stringField(file.testExecError, 'message') : null;
  const message = stringField(file, 'message') ?? '';
  const where = findLocation(message, [path]);
  return {
    name: path ?? '(test file)',
    file: path,
    line: where !== null && path !== null && path.endsWith(where.file.replace(/^.*\//, '')) ? where.line : null,
    message: shortMessage(execError ?? (message || 'the test file failed to run')),
    outcome: 'errored',
  };
}
