import { parse as parseYaml } from 'yaml';
import { read, testReport, unreadable, type FailedTest, type Parsed, type TestReport } from './report.js';
import { findLocation, isRecord, positiveInt, shortMessage } from './text.js';

/**
 * TAP 13 and 14 (node --test, node-tap, tape): test points, plans, `# SKIP` / `# TODO`
 * directives, YAML diagnostic blocks, and subtests — indented child streams whose parent test
 * point comes after them. Only leaves are counted (a suite is not a test); a parent that failed
 * while all its children passed (a failing hook) counts as one errored test. Lines that are not
 * TAP (a program's own output on the same stdout) are ignored.
 */

const TEST_POINT = /^(\s*)(not ok|ok)(?=\s|$)[ \t]*(\d+)?[ \t]*(?:-[ \t]*)?(.*)$/;
const PLAN = /^(\s*)1\.\.(\d+)\b/;
const BAIL_OUT = /^\s*Bail out!\s*(.*)$/;

interface Point {
  indent: number;
  ok: boolean;
  description: string;
  directive: 'skip' | 'todo' | null;
  yaml: string[] | null;
}

/** A test point not yet claimed by a parent: the failures inside it, to be named after it. */
interface Open {
  indent: number;
  failed: boolean;
  failures: FailedTest[];
}

interface State {
  open: Open[];
  failures: FailedTest[];
  passed: number;
  skipped: number;
  points: number;
  topIndent: number;
  topPoints: number;
  plan: number | null;
  bailedOut: boolean;
}

export function parseTap(text: string): Parsed<TestReport> {
  const lines = text.split(/\r?\n/);
  const s: State = { open: [], failures: [], passed: 0, skipped: 0, points: 0, topIndent: Infinity, topPoints: 0, plan: null, bailedOut: false };
  let pending: Point | undefined;
  let planIndent = Infinity;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (pending !== undefined && pending.yaml === null && line.trim() === '---') {
      const { contentEnd, resume } = yamlEnd(lines, i);
      pending.yaml = dedent(lines.slice(i + 1, contentEnd), line.indexOf('-'));
      i = resume;
      continue;
    }
    const point = TEST_POINT.exec(line);
    const plan = PLAN.exec(line);
    const bail = BAIL_OUT.exec(line);
    if (point === null && plan === null && bail === null) continue;
    if (pending !== undefined) settle(s, pending);
    pending = point === null ? undefined : testPoint(point);
    if (plan !== null && (plan[1] ?? '').length < planIndent) {
      planIndent = (plan[1] ?? '').length;
      s.plan = Number(plan[2]);
    }
    if (bail !== null) {
      s.bailedOut = true;
      s.failures.push({ name: 'Bail out!', file: null, line: null, message: bail[1] || 'the test run bailed out', outcome: 'errored' });
    }
  }
  if (pending !== undefined) settle(s, pending);
  if (s.points === 0 && s.plan === null) return unreadable('no TAP test lines or plan found');
  for (const open of s.open) s.failures.push(...open.failures);
  checkPlan(s, planIndent);
  return read(testReport('tap', { passed: s.passed, skipped: s.skipped }, s.failures));
}

function testPoint(match: RegExpExecArray): Point {
  const { description, directive } = splitDirective(match[4] ?? '');
  return { indent: (match[1] ?? '').length, ok: match[2] === 'ok', description, directive, yaml: null };
}

/** Counts a finished test point: a leaf, or a parent whose children are now known. */
function settle(s: State, point: Point): void {
  s.points++;
  if (point.indent < s.topIndent) {
    s.topIndent = point.indent;
    s.topPoints = 0;
  }
  if (point.indent === s.topIndent) s.topPoints++;
  const fails = !point.ok && point.directive === null;
  const inner: FailedTest[] = [];
  let children = 0;
  let childFailed = false;
  for (let child = s.open.at(-1); child !== undefined && child.indent > point.indent; child = s.open.at(-1)) {
    s.open.pop();
    children++;
    childFailed ||= child.failed;
    inner.unshift(...child.failures);
  }
  for (const failure of inner) failure.name = `${point.description} > ${failure.name}`;
  if (children === 0 || (fails && !childFailed)) {
    if (fails) inner.push(failedPoint(point, children === 0 ? 'failed' : 'errored'));
    else if (children === 0 && point.directive !== null) s.skipped++;
    else if (children === 0) s.passed++;
  }
  s.open.push({ indent: point.indent, failed: fails || childFailed, failures: inner });
}

function failedPoint(point: Point, outcome: FailedTest['outcome']): FailedTest {
  const diag = point.yaml === null ? undefined : diagnostics(point.yaml);
  const where = diag === undefined ? null : diagnosticLocation(diag);
  const raw = diag?.error ?? diag?.message;
  const message = typeof raw === 'string' && raw.trim() !== '' ? shortMessage(raw) : 'not ok (no diagnostics)';
  return { name: point.description || '(unnamed test)', file: where?.file ?? null, line: where?.line ?? null, message, outcome };
}

/**
 * Where a failure happened, from the diagnostics node and node-tap write: a stack frame in the
 * test's own file (the failing assertion) beats `location` (where the test is declared), which
 * beats `at` (a `file:line:col` string or a map) and plain `file`/`line` keys.
 */
function diagnosticLocation(diag: Record<string, unknown>): { file: string; line: number } | null {
  const at = diag.at;
  const declared =
    (typeof diag.location === 'string' ? findLocation(diag.location) : null) ??
    (typeof at === 'string' ? findLocation(at) : null) ??
    (isRecord(at) && typeof at.file === 'string' ? withLine(at.file, at.line) : null) ??
    (typeof diag.file === 'string' ? withLine(diag.file, diag.line) : null);
  const stack = typeof diag.stack === 'string' ? findLocation(diag.stack, [declared?.file ?? null]) : null;
  if (declared === null) return stack;
  return stack !== null && stack.file.endsWith(declared.file.replace(/^.*\//, '')) ? { file: declared.file, line: stack.line } : declared;
}

function withLine(file: string, line: unknown): { file: string; line: number } | null {
  const n = positiveInt(line);
  return n === null ? null : { file, line: n };
}

function diagnostics(lines: string[]): Record<string, unknown> | undefined {
  try {
    const value: unknown = parseYaml(lines.join('\n'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * description [ '#' directive ]: `\#` is a literal hash. A comment that is not SKIP or TODO
 * (`# time=12ms`) is dropped.
 */
function splitDirective(rest: string): { description: string; directive: Point['directive'] } {
  let hash = -1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') i++;
    else if (rest[i] === '#') {
      hash = i;
      break;
    }
  }
  const description = (hash === -1 ? rest : rest.slice(0, hash)).trim().replace(/\\([\\#])/g, '$1');
  const directive = hash === -1 ? null : /^\s*(skip|todo)/i.exec(rest.slice(hash + 1))?.[1]?.toLowerCase();
  return { description, directive: directive === 'skip' || directive === 'todo' ? directive : null };
}

/**
 * The YAML block runs to a `...` line; one never closed (a stream cut short) ends before the next
 * test point or at the end. `resume` is the last line the block consumed.
 */
function yamlEnd(lines: string[], start: number): { contentEnd: number; resume: number } {
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '...') return { contentEnd: i, resume: i };
    if (TEST_POINT.test(line)) return { contentEnd: i, resume: i - 1 };
  }
  return { contentEnd: lines.length, resume: lines.length };
}

function dedent(lines: string[], indent: number): string[] {
  return lines.map((line) => (line.slice(0, indent).trim() === '' ? line.slice(indent) : line.trimStart()));
}

/** A top-level plan that does not match the tests run means the stream was cut short. */
function checkPlan(s: State, planIndent: number): void {
  if (s.points === 0 || s.bailedOut) return;
  const message =
    s.plan === null || planIndent !== s.topIndent
      ? 'the TAP output has no plan (1..N): it may have been cut short'
      : s.plan !== s.topPoints
        ? `planned ${s.plan} tests but ${s.topPoints} ran: the output may have been cut short`
        : undefined;
  if (message !== undefined) s.failures.push({ name: '(plan)', file: null, line: null, message, outcome: 'errored' });
}
