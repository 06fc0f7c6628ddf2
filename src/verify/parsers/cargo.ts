import { stripAnsi } from '../../util/ansi.js';
import { read, testReport, unreadable, type FailedTest, type Parsed, type TestReport } from './report.js';
import { shortMessage } from './text.js';

/**
 * `cargo test` human output. Every test binary (unit tests, each file in tests/, doc-tests)
 * prints `running N tests`, a `test NAME ... ok|FAILED|ignored` line per test, a
 * `---- NAME stdout ----` section per failure with the panic, and one
 * `test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out` line. The
 * counts are the sum of those summary lines; the failing tests are named by their lines and
 * located by the panic (`panicked at src/lib.rs:20:9:`). Tolerates stderr mixed in (`2>&1`).
 */

const RUNNING = /^running \d+ tests?$/;
const RESULT = /^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured/;
const TEST_LINE = /^test (.+?) \.\.\. (FAILED|ok|ignored\b.*)$/;
const SECTION = /^---- (.+) stdout ----$/;
/** Since Rust 1.73: `thread 'NAME' (PID) panicked at FILE:LINE:COL:` then the message lines. */
const PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at (.+?):(\d+):\d+:$/;
/** Before Rust 1.73: `thread 'NAME' panicked at 'MESSAGE', FILE:LINE:COL`, the message possibly over several lines. */
const OLD_PANIC = /^thread '[^']*' panicked at '([\s\S]*)', (.+?):(\d+):\d+$/;
const OLD_PANIC_START = /^thread '[^']*' panicked at '/;

interface Binary {
  failed: string[];
  sections: Map<string, string[]>;
}

export function parseCargoTest(text: string): Parsed<TestReport> {
  const binaries: Binary[] = [];
  const totals = { passed: 0, failed: 0, skipped: 0, results: 0 };
  let binary: Binary | undefined;
  let section: string[] | undefined;
  for (const raw of stripAnsi(text).split(/\r?\n/)) {
    const line = raw.trimEnd();
    const result = RESULT.exec(line);
    if (RUNNING.test(line) || binary === undefined) {
      binary = { failed: [], sections: new Map() };
      binaries.push(binary);
    }
    if (result !== null) {
      totals.passed += Number(result[1]) + Number(result[4]);
      totals.failed += Number(result[2]);
      totals.skipped += Number(result[3]);
      totals.results++;
      section = undefined;
      continue;
    }
    const test = TEST_LINE.exec(line);
    const header = SECTION.exec(line);
    if (test !== null && test[2] === 'FAILED') binary.failed.push(test[1] ?? '');
    if (header !== null) {
      section = [];
      binary.sections.set(header[1] ?? '', section);
    } else if (line === 'failures:') section = undefined;
    else section?.push(line);
  }
  if (totals.results === 0) return unreadable('no `test result:` line: cargo test did not finish running its tests');
  const failures = binaries.flatMap((b) => b.failed.map((name) => failedTest(name, b.sections.get(name) ?? [])));
  return read(testReport('cargo', { passed: totals.passed, skipped: totals.skipped, failed: totals.failed, errored: 0 }, failures));
}

function failedTest(name: string, section: string[]): FailedTest {
  for (let i = 0; i < section.length; i++) {
    const line = section[i] ?? '';
    const panic = PANIC.exec(line);
    if (panic !== null) return { name, file: panic[1] ?? null, line: Number(panic[2]), message: messageOr(section.slice(i + 1)), outcome: 'failed' };
    if (OLD_PANIC_START.test(line)) {
      const end = section.findIndex((l, j) => j >= i && /', .+?:\d+:\d+$/.test(l));
      const old = OLD_PANIC.exec(section.slice(i, end + 1).join('\n'));
      if (end !== -1 && old !== null) return { name, file: old[2] ?? null, line: Number(old[3]), message: shortMessage(old[1] ?? ''), outcome: 'failed' };
    }
  }
  return { name, file: null, line: null, message: messageOr(section), outcome: 'failed' };
}

function messageOr(lines: string[]): string {
  return shortMessage(lines.join('\n')) || 'failed (no panic message)';
}
