import type { ConfigInput } from './schema.js';

type WindowInput = NonNullable<ConfigInput['windows']>[number];

/** What the defaults are derived from: read by the loader, so this stays pure. */
export interface ProjectFacts {
  /** `scripts` of package.json, when there is one. */
  scripts: Record<string, string> | undefined;
  /** Lockfiles and manifests present at the root. */
  files: ReadonlySet<string>;
  editor: string | undefined;
}

export const FACT_FILES = ['package.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock', 'Cargo.toml'] as const;

function packageManager(files: ReadonlySet<string>): string {
  if (files.has('pnpm-lock.yaml')) return 'pnpm';
  if (files.has('yarn.lock')) return 'yarn';
  if (files.has('bun.lockb') || files.has('bun.lock')) return 'bun';
  return 'npm';
}

function runScript(pm: string, script: string): string {
  if (pm === 'npm') return script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
  return `${pm} run ${script}`;
}

const API_SCRIPTS = ['api', 'dev:api', 'start:api', 'server', 'dev:server', 'backend', 'dev:backend', 'dev', 'start', 'serve'];
const UI_SCRIPTS = ['ui', 'dev:ui', 'web', 'dev:web', 'client', 'dev:client', 'frontend', 'dev:frontend', 'preview', 'serve'];
const E2E_SCRIPTS = ['e2e', 'test:e2e', 'e2e:test', 'playwright', 'cypress'];
const TEST_SCRIPTS = ['test', 'test:unit', 'unit'];

function pick(scripts: Record<string, string> | undefined, names: readonly string[], taken?: string): string | undefined {
  return names.find((n) => scripts?.[n] !== undefined && n !== taken);
}

/** `npm init`'s placeholder test script fails whatever the code does: it is not a test command. */
const PLACEHOLDER_TEST = /no test specified/;

/** The test command `choiros watch` runs when choiros.yaml names none. */
export function detectTestCommand(facts: ProjectFacts): string | undefined {
  const script = TEST_SCRIPTS.find((n) => facts.scripts?.[n] !== undefined && !PLACEHOLDER_TEST.test(facts.scripts[n] ?? ''));
  if (script !== undefined) return runScript(packageManager(facts.files), script);
  if (facts.files.has('Cargo.toml')) return 'cargo test';
  return undefined;
}

/**
 * The six ChoirOS windows, with commands detected from package.json scripts (dev/start/serve,
 * test, e2e) or Cargo.toml. A window with nothing to run opens a shell; the watcher waits for
 * `choiros restart watcher` when there is nothing to test (`testable`: choiros.yaml may say).
 */
export function defaultWindows(facts: ProjectFacts, testable = detectTestCommand(facts) !== undefined): WindowInput[] {
  const pm = packageManager(facts.files);
  const cargo = facts.files.has('Cargo.toml');
  const apiScript = pick(facts.scripts, API_SCRIPTS);
  const uiScript = pick(facts.scripts, UI_SCRIPTS, apiScript);
  const e2eScript = pick(facts.scripts, E2E_SCRIPTS);

  const api = apiScript !== undefined ? runScript(pm, apiScript) : cargo ? 'cargo run' : undefined;
  const ui = uiScript !== undefined ? runScript(pm, uiScript) : undefined;
  const e2e = e2eScript !== undefined ? runScript(pm, e2eScript) : undefined;

  return [
    { name: 'editor', ...(facts.editor ? { command: facts.editor } : {}), restart: 'no' },
    { name: 'api', ...(api ? { command: api } : { restart: 'no' }), restart_on_rollback: true },
    { name: 'ui', ...(ui ? { command: ui } : { restart: 'no' }), restart_on_rollback: true },
    // With nothing to test, `choiros watch` could only exit 1 and be restarted over and over.
    { name: 'watcher', command: 'choiros watch', ...(testable ? {} : { autostart: false }) },
    { name: 'e2e', ...(e2e ? { command: e2e } : {}), autostart: false, restart: 'no' },
    { name: 'logs', command: 'choiros logs -f', log: false },
  ];
}

export function defaultConfigInput(facts: ProjectFacts): ConfigInput {
  return { windows: defaultWindows(facts) };
}

/** A gate `choiros init` writes, with the settings of choiros.yaml's `verify:` it needs. */
export interface DetectedGate {
  name: 'unit' | 'coverage' | 'lint';
  gate: { run: string; cargo?: true; lcov?: string; istanbul?: string; min?: number; eslint_json?: true; max_warnings?: number };
}

const COVERAGE_SCRIPTS = ['coverage', 'test:coverage', 'test:cov', 'cov'];
const SHELL_OPERATORS = /&&|\|\||[;|]/;

/** Where a coverage script's report is, when its command says: jest writes lcov unless told otherwise. */
function coverageReport(script: string): { lcov: string } | { istanbul: string } | undefined {
  if (/json-summary/.test(script)) return { istanbul: 'coverage/coverage-summary.json' };
  if (/lcov/.test(script) || /(?:^|\s)jest(?:\s|$)/.test(script)) return { lcov: 'coverage/lcov.info' };
  return undefined;
}

/** eslint alone, and not told a format already: its JSON report counts warnings, which its exit code does not. */
function lintGate(pm: string, script: string): DetectedGate['gate'] {
  const run = runScript(pm, 'lint');
  const bareEslint = /^eslint(?:\s|$)/.test(script.trim()) && !SHELL_OPERATORS.test(script) && !/\s(?:-f|--format)(?:\s|=)/.test(script);
  return bareEslint ? { run: `${run}${pm === 'npm' ? ' --' : ''} --format json`, eslint_json: true, max_warnings: 0 } : { run };
}

/**
 * The verification gates `choiros init` writes, so that `verify` works out of the box: the test
 * command `choiros watch` would run; coverage (at least 85%) when a coverage script's report can be
 * told from its command; lint when there is a lint script (with no warnings allowed when eslint
 * runs it alone). What cannot be told is left to a person: better no gate than one that can
 * never pass.
 */
export function detectGates(facts: ProjectFacts): DetectedGate[] {
  const gates: DetectedGate[] = [];
  const test = detectTestCommand(facts);
  if (test !== undefined) gates.push({ name: 'unit', gate: test === 'cargo test' ? { run: test, cargo: true } : { run: test } });
  const pm = packageManager(facts.files);
  const coverage = pick(facts.scripts, COVERAGE_SCRIPTS);
  const report = coverage === undefined ? undefined : coverageReport(facts.scripts?.[coverage] ?? '');
  if (coverage !== undefined && report !== undefined) gates.push({ name: 'coverage', gate: { run: runScript(pm, coverage), ...report, min: 85 } });
  const lint = facts.scripts?.lint;
  if (lint !== undefined) gates.push({ name: 'lint', gate: lintGate(pm, lint) });
  return gates;
}
