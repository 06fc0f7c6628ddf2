/**
 * The five checks of the health score, over a project folder. Each returns what passed out of
 * what was checked and names what did not.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { check, type CheckResult } from './score.js';

/** Files whose loss breaks a project, checked when git tracks them. */
const CRITICAL = /^(README(\.\w+)?|LICENSE(\.\w+)?|package\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|choiros\.yaml|Cargo\.toml|Cargo\.lock|pyproject\.toml|go\.mod|go\.sum|tsconfig\.json|prose\/.+\.prose)$/;

const SKIP_DIRS = new Set(['node_modules', '.git', '.choiros', 'dist', 'build', 'coverage', 'target', 'vendor']);

function skipped(path: string): boolean {
  return path.split('/').some((part) => SKIP_DIRS.has(part));
}

/** Critical files git tracks that are missing from the work tree. */
export function criticalFiles(root: string, tracked: readonly string[] | undefined, configFile: string | undefined): CheckResult {
  const expected = new Set((tracked ?? []).filter((f) => CRITICAL.test(f)));
  if (configFile !== undefined) expected.add(relative(root, configFile));
  const missing = [...expected].filter((f) => !existsSync(join(root, f))).sort();
  const notes = tracked === undefined ? ['not a git repository: only choiros.yaml is known to be critical'] : [];
  return check(expected.size - missing.length, expected.size, missing.map((f) => `${f} is missing`), notes);
}

export type ProgramChecker = (path: string, text: string) => string[];

/** choiros.yaml validity (the loader's verdict, passed in) and every program under prose/. */
export function configAndPrograms(root: string, configProblem: string | undefined, tracked: readonly string[] | undefined, checkProgram: ProgramChecker): CheckResult {
  const programs = (tracked ?? listFiles(join(root, 'prose')).map((f) => relative(root, f))).filter((f) => f.endsWith('.prose') && existsSync(join(root, f)));
  const problems = configProblem === undefined ? [] : [`choiros.yaml: ${configProblem}`];
  let passed = configProblem === undefined ? 1 : 0;
  for (const program of programs) {
    const found = checkProgram(program, readFileSync(join(root, program), 'utf8'));
    if (found.length === 0) passed += 1;
    else problems.push(...found.slice(0, 3));
  }
  return check(passed, 1 + programs.length, problems);
}

function listFiles(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

/** A CSV whose rows all have the header's number of fields (RFC 4180 quoting). */
export function csvProblem(text: string): string | undefined {
  let fields = 1;
  let expected: number | undefined;
  let quoted = false;
  let row = 0;
  const endRow = (): string | undefined => {
    if (expected === undefined) expected = fields;
    else if (fields !== expected) return `row ${row} has ${fields} fields, the header ${expected}`;
    row++;
    fields = 1;
    return undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') fields++;
    else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      const problem = endRow();
      if (problem !== undefined) return problem;
    }
  }
  if (quoted) return 'an unterminated quoted field';
  return /(^|\n)$/.test(text) ? undefined : endRow();
}

/** The ledger (its verdict passed in) and every tracked JSON and CSV file parse. */
export function dataIntegrity(root: string, tracked: readonly string[] | undefined, ledgerProblem: string | undefined | null): CheckResult {
  const files = (tracked ?? listFiles(root).map((f) => relative(root, f))).filter((f) => /\.(json|csv)$/i.test(f) && !skipped(f) && existsSync(join(root, f)));
  const problems: string[] = [];
  let passed = 0;
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    let problem: string | undefined;
    if (file.toLowerCase().endsWith('.csv')) problem = csvProblem(text);
    else
      try {
        JSON.parse(text);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
    if (problem === undefined) passed++;
    else problems.push(`${file}: ${problem}`);
  }
  const ledgerChecked = ledgerProblem !== null;
  if (ledgerChecked && ledgerProblem === undefined) passed++;
  if (ledgerChecked && ledgerProblem !== undefined) problems.push(`ledger: ${ledgerProblem}`);
  return check(passed, files.length + (ledgerChecked ? 1 : 0), problems);
}

const ASSET_DIRS = ['public', 'static'];

/** Local src/href references of the HTML under public/ (or static/) resolve to files. */
export function publicAssets(root: string): CheckResult {
  const dirs = ASSET_DIRS.map((d) => join(root, d)).filter((d) => existsSync(d));
  if (dirs.length === 0) return check(0, 0, [], ['no public/ or static/ folder']);
  let passed = 0;
  let total = 0;
  const problems: string[] = [];
  for (const base of dirs) {
    for (const page of listFiles(base).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(page, 'utf8');
      for (const match of html.matchAll(/\b(?:src|href)\s*=\s*["']([^"'#?]+)[^"']*["']/gi)) {
        const ref = match[1] ?? '';
        if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(ref) || ref === '') continue;
        total++;
        const target = ref.startsWith('/') ? join(base, ref) : resolve(dirname(page), ref);
        if (existsSync(target)) passed++;
        else problems.push(`${relative(root, page)}: ${ref} not found`);
      }
    }
  }
  return check(passed, total, problems.slice(0, 10));
}

function depsOf(pkg: Record<string, unknown>): Record<string, string> {
  const all: Record<string, string> = {};
  for (const key of ['dependencies', 'devDependencies', 'optionalDependencies']) Object.assign(all, (pkg[key] as Record<string, string> | undefined) ?? {});
  return all;
}

/** Every dependency of package.json appears in the lockfile with the same range. */
export function dependencies(root: string): CheckResult {
  const manifest = join(root, 'package.json');
  if (!existsSync(manifest)) return check(0, 0, [], ['no package.json']);
  let wanted: Record<string, string>;
  try {
    wanted = depsOf(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>);
  } catch {
    return check(0, 1, ['package.json does not parse']);
  }
  const names = Object.keys(wanted);
  if (names.length === 0) return check(0, 0, [], ['no dependencies']);
  const npmLock = join(root, 'package-lock.json');
  const otherLock = ['pnpm-lock.yaml', 'yarn.lock'].map((f) => join(root, f)).find((f) => existsSync(f));
  if (!existsSync(npmLock) && otherLock === undefined) return check(0, names.length, ['no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock)']);
  let locked: Record<string, string> | undefined;
  let lockText = '';
  if (existsSync(npmLock)) {
    try {
      const lock = JSON.parse(readFileSync(npmLock, 'utf8')) as { packages?: Record<string, Record<string, unknown>> };
      locked = depsOf(lock.packages?.[''] ?? {});
    } catch {
      return check(0, names.length, ['package-lock.json does not parse']);
    }
  } else lockText = readFileSync(otherLock ?? '', 'utf8');
  const problems: string[] = [];
  for (const name of names) {
    if (locked !== undefined) {
      if (locked[name] === undefined) problems.push(`${name} is not in package-lock.json`);
      else if (locked[name] !== wanted[name]) problems.push(`${name}: package.json wants ${wanted[name] ?? ''}, the lockfile has ${locked[name]}`);
    } else if (!lockText.includes(name)) problems.push(`${name} is not in the lockfile`);
  }
  return check(names.length - problems.length, names.length, problems.slice(0, 10));
}
