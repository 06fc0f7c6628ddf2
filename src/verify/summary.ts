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

function lastMatch(text: string, pattern: RegExp): string | undefined {
  let found: string | undefined;
  for (const match of text.matchAll(pattern)) found = match[0];
  return found;
}

/** vitest: `Tests  2 failed | 11 passed | 1 skipped (14)`. */
const vitest: Parser = (text) => {
  const line = lastMatch(text, /^\s*Tests\s{2,}.*\(\d+\)\s*$/gm);
  if (line === undefined) return undefined;
  return { passed: count(line, /(\d+) passed/), failed: count(line, /(\d+) failed/), skipped: count(line, /(\d+) (?:skipped|todo)/) };
};

/** jest: `Tests:       1 failed, 2 skipped, 10 passed, 13 total`. */
const jest: Parser = (text) => {
  const line = lastMatch(text, /^Tests:\s+.*\d+ total\s*$/gm);
  if (line === undefined) return undefined;
  return { passed: count(line, /(\d+) passed/), failed: count(line, /(\d+) failed/), skipped: count(line, /(\d+) (?:skipped|todo)/) };
};

/** cargo test: one `test result: ok. 10 passed; 0 failed; 1 ignored; …` per test binary. */
const cargo: Parser = (text) => {
  const lines = [...text.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/gm)];
  if (lines.length === 0) return undefined;
  return lines.reduce((sum, m) => ({ passed: sum.passed + Number(m[1]), failed: sum.failed + Number(m[2]), skipped: sum.skipped + Number(m[3]) }), { passed: 0, failed: 0, skipped: 0 });
};

/** pytest: `==== 3 failed, 10 passed, 1 skipped in 1.20s ====`. */
const pytest: Parser = (text) => {
  const line = lastMatch(text, /^=+ .*\b(?:passed|failed)\b.* in [\d.]+s.*=+\s*$/gm);
  if (line === undefined) return undefined;
  return { passed: count(line, /(\d+) passed/), failed: count(line, /(\d+) failed/) + count(line, /(\d+) errors?/), skipped: count(line, /(\d+) skipped/) };
};

/** mocha: `  10 passing (20ms)` / `  2 failing` / `  1 pending`. */
const mocha: Parser = (text) => {
  if (!/^\s+\d+ passing \(/m.test(text)) return undefined;
  return { passed: count(text, /^\s+(\d+) passing/m), failed: count(text, /^\s+(\d+) failing/m), skipped: count(text, /^\s+(\d+) pending/m) };
};

/** TAP summaries (node --test, tape): `# pass 10`, `# fail 2`, `# skip 1`. */
const tap: Parser = (text) => {
  if (!/^# pass \d+/m.test(text)) return undefined;
  return { passed: count(text, /^# pass (\d+)/m), failed: count(text, /^# fail (\d+)/m), skipped: count(text, /^# (?:skip|todo) (\d+)/m) };
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
