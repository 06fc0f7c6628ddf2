/** Test counts read from a test runner's human output. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

type Parser = (text: string) => TestCounts | undefined;

function count(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** The sum of every count `pattern` (global) finds: `1 skipped | 2 todo` is 3 not run. */
function sum(text: string, pattern: RegExp): number {
  let total = 0;
  for (const match of text.matchAll(pattern)) total += Number(match[1]);
  return total;
}

function lastMatch(text: string, pattern: RegExp): string | undefined {
  let found: string | undefined;
  for (const match of text.matchAll(pattern)) found = match[0];
  return found;
}

/** vitest: `Tests  2 failed | 11 passed | 1 skipped | 2 todo (16)`. */
const vitest: Parser = (text) => {
  const line = lastMatch(text, /^\s*Tests\s{2,}.*\(\d+\)\s*$/gm);
  if (line === undefined) return undefined;
  return { passed: count(line, /(\d+) passed/), failed: count(line, /(\d+) failed/), skipped: sum(line, /(\d+) (?:skipped|todo)/g) };
};

/** jest: `Tests:       1 failed, 2 skipped, 1 todo, 10 passed, 14 total`. */
const jest: Parser = (text) => {
  const line = lastMatch(text, /^Tests:\s+.*\d+ total\s*$/gm);
  if (line === undefined) return undefined;
  return { passed: count(line, /(\d+) passed/), failed: count(line, /(\d+) failed/), skipped: sum(line, /(\d+) (?:skipped|todo)/g) };
};

/** cargo test: one `test result: ok. 10 passed; 0 failed; 1 ignored; …` per test binary. */
const cargo: Parser = (text) => {
  const lines = [...text.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/gm)];
  if (lines.length === 0) return undefined;
  return lines.reduce((sum, m) => ({ passed: sum.passed + Number(m[1]), failed: sum.failed + Number(m[2]), skipped: sum.skipped + Number(m[3]) }), { passed: 0, failed: 0, skipped: 0 });
};

/**
 * pytest: `==== 3 failed, 10 passed, 1 skipped, 2 xfailed, 1 xpassed in 1.20s ====`. An expected
 * failure (xfail) did not run as a test of the code, so it counts as skipped; an unexpected pass
 * as a pass (under `xfail_strict` pytest reports it as failed itself).
 */
const pytest: Parser = (text) => {
  const line = lastMatch(text, /^=+ .*\b(?:passed|failed)\b.* in [\d.]+s.*=+\s*$/gm);
  if (line === undefined) return undefined;
  return {
    passed: count(line, /(\d+) passed/) + count(line, /(\d+) xpassed/),
    failed: count(line, /(\d+) failed/) + count(line, /(\d+) errors?/),
    skipped: count(line, /(\d+) skipped/) + count(line, /(\d+) xfailed/),
  };
};

/** mocha: `  10 passing (20ms)` / `  2 failing` / `  1 pending`. */
const mocha: Parser = (text) => {
  if (!/^\s+\d+ passing \(/m.test(text)) return undefined;
  return { passed: count(text, /^\s+(\d+) passing/m), failed: count(text, /^\s+(\d+) failing/m), skipped: count(text, /^\s+(\d+) pending/m) };
};

/**
 * TAP summaries. node --test: `# pass 1`, `# fail 0`, `# cancelled 0`, `# skipped 2`, `# todo 1`
 * — each test counted once, and a cancelled test (a timeout) fails the run. tape aligns its
 * numbers (`# pass  4`, `# todo  1`, `# fail  2`) and counts todo tests among the passes.
 */
const tap: Parser = (text) => {
  const pass = /^# pass( +)(\d+)/m.exec(text);
  if (pass === null) return undefined;
  const total = (name: string) => count(text, new RegExp(`^# ${name} +(\\d+)`, 'm'));
  const todo = total('todo');
  const tape = pass[1] === '  ';
  return {
    passed: Number(pass[2]) - (tape ? todo : 0),
    failed: total('fail') + total('cancelled'),
    skipped: total('skipped') + todo,
  };
};

const PARSERS: readonly Parser[] = [vitest, jest, cargo, pytest, mocha, tap];

/** Counts from whichever known runner printed `text` (escape sequences already removed). */
export function parseTestCounts(text: string): TestCounts | undefined {
  for (const parse of PARSERS) {
    const counts = parse(text);
    if (counts !== undefined) return counts;
  }
  return undefined;
}
