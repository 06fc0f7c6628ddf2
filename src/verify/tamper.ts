import { posix } from 'node:path';
import type { GateConfig } from '../config/schema.js';

/**
 * Gate tamper detection. An agent told to make the tests pass can also make them pass by editing
 * the tests, lowering a threshold, or changing the command that checks. Gates are read from the
 * last good checkpoint, and every such change between that checkpoint and the candidate is a
 * deviation a human must approve. Pure: the caller supplies both gate maps and the changed paths
 * (from git), and gets back what needs approval.
 */

export type TamperFinding =
  | { kind: 'gate-added'; gate: string }
  | { kind: 'gate-removed'; gate: string }
  /** `keys`: the gate's settings that differ, e.g. `run`, `min`, `test_threshold`, `env`. */
  | { kind: 'gate-changed'; gate: string; keys: string[] }
  /** A test, spec or snapshot file. */
  | { kind: 'test-file'; path: string }
  /** A file that configures a test runner, coverage or linter, and so what a gate demands. */
  | { kind: 'check-config'; path: string }
  /** A file a gate's command runs (`node scripts/check.mjs`, the package.json of `npm test`). */
  | { kind: 'gate-script'; gate: string; path: string };

type GateMap = Readonly<Record<string, GateConfig>> | undefined;

export function tamperFindings(before: GateMap, after: GateMap, changedPaths: readonly string[]): TamperFinding[] {
  const findings: TamperFinding[] = [...gateChanges(before ?? {}, after ?? {})];
  const scripts = gateScripts(before ?? {});
  for (const path of [...new Set(changedPaths.map(normalizePath))].sort()) {
    const script = scripts.get(path);
    if (script !== undefined) findings.push({ kind: 'gate-script', gate: script, path });
    else if (isTestPath(path)) findings.push({ kind: 'test-file', path });
    else if (isCheckConfig(path)) findings.push({ kind: 'check-config', path });
  }
  return findings;
}

function gateChanges(before: Readonly<Record<string, GateConfig>>, after: Readonly<Record<string, GateConfig>>): TamperFinding[] {
  const findings: TamperFinding[] = [];
  for (const gate of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = before[gate];
    const now = after[gate];
    if (was === undefined) findings.push({ kind: 'gate-added', gate });
    else if (now === undefined) findings.push({ kind: 'gate-removed', gate });
    else {
      const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
      const changed = keys.filter((key) => canonical(was[key as keyof GateConfig]) !== canonical(now[key as keyof GateConfig]));
      if (changed.length > 0) findings.push({ kind: 'gate-changed', gate, keys: changed });
    }
  }
  return findings;
}

/** JSON with object keys sorted, so `env: {A, B}` and `env: {B, A}` compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v)) ?? 'undefined';
}

const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', '__snapshots__', '__mocks__', 'e2e', 'testdata']);
const TEST_FILE = /(?:\.(?:test|spec|e2e)\.[^/]+|_(?:test|spec)\.[^/]+|\.snap)$|^test_[^/]+\.py$|^conftest\.py$/;

/** `*.test.*`, `*.spec.*`, `*_test.*`, `test_*.py`, snapshots, or anything under a test folder. */
export function isTestPath(path: string): boolean {
  const segments = normalizePath(path).split('/');
  const base = segments.at(-1) ?? '';
  return TEST_FILE.test(base) || segments.slice(0, -1).some((dir) => TEST_DIRS.has(dir));
}

const CHECK_CONFIG =
  /^(?:vitest\.(?:config|workspace)|vite\.config|jest\.config|karma\.conf|playwright\.config|cypress\.config|ava\.config|\.mocharc|\.nycrc|\.c8rc|\.istanbul|codecov|\.coveragerc|pytest|tox|eslint\.config|\.eslintrc|\.eslintignore|biome|\.?clippy|deny)(?:\.[\w.]+)?$/;

/** Test runner, coverage and lint configuration: `vitest.config.ts`, `.nycrc`, `eslint.config.js`, `clippy.toml`… */
export function isCheckConfig(path: string): boolean {
  return CHECK_CONFIG.test(normalizePath(path).split('/').at(-1) ?? '');
}

const SCRIPT = /^(?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.(?:[cm]?[jt]s|sh|bash|py|rb|pl|php|toml|ya?ml|ini|cfg|conf)$/;

/**
 * Files a gate's command runs, relative to the project root: script-like words of the command
 * (`scripts/check.sh`, `--config=vitest.ci.ts`), and the file that defines a script runner's
 * scripts (`npm test` runs whatever package.json says `test` is). The gate's own report files
 * are outputs, rewritten by every run, and never count.
 */
function gateScripts(gates: Readonly<Record<string, GateConfig>>): Map<string, string> {
  const scripts = new Map<string, string>();
  for (const [name, gate] of Object.entries(gates)) {
    const cwd = gate.cwd ?? '.';
    const at = (file: string) => normalizePath(posix.join(cwd, file));
    const reports = new Set(REPORT_KEYS.flatMap((key) => (typeof gate[key] === 'string' ? [at(gate[key])] : [])));
    const command = typeof gate.run === 'string' ? gate.run : gate.run.join(' ');
    for (const raw of typeof gate.run === 'string' ? gate.run.split(/\s+/) : gate.run) {
      const word = raw.replace(/^['"]|['"]$/g, '').replace(/^--?[\w-]+=/, '');
      if (SCRIPT.test(word) && !reports.has(at(word))) scripts.set(at(word), name);
    }
    if (/(?:^|[\s;&|])(?:npm|pnpm|yarn|bun)\s/.test(command)) scripts.set(at('package.json'), name);
    if (/(?:^|[\s;&|])make(?:\s|$)/.test(command)) scripts.set(at('Makefile'), name);
    if (/(?:^|[\s;&|])just(?:\s|$)/.test(command)) scripts.set(at('justfile'), name);
  }
  return scripts;
}

const REPORT_KEYS = ['junit', 'tap', 'vitest_json', 'jest_json', 'lcov', 'istanbul', 'cobertura', 'eslint_json', 'clippy_json'] as const;

function normalizePath(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/')).replace(/^\.\//, '');
}

/** One line for a human deciding whether to approve. */
export function describeTamper(finding: TamperFinding): string {
  switch (finding.kind) {
    case 'gate-added':
      return `gate '${finding.gate}' was added`;
    case 'gate-removed':
      return `gate '${finding.gate}' was removed`;
    case 'gate-changed':
      return `gate '${finding.gate}' changed: ${finding.keys.join(', ')}`;
    case 'test-file':
      return `test file changed: ${finding.path}`;
    case 'check-config':
      return `test, coverage or lint configuration changed: ${finding.path}`;
    case 'gate-script':
      return `a file gate '${finding.gate}' runs changed: ${finding.path}`;
  }
}
