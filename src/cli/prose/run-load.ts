import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Project } from '../../config/load.js';
import { stateDir } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { checkProgram, parseProgram, sortDiagnostics, type Diagnostic, type ProgramSignature, type Source } from '../../prose/index.js';
import { makeUnit, type ProgramUnit } from '../../runtime/program.js';
import { declaredInputs } from '../../runtime/plan.js';

export interface Loaded {
  unit: ProgramUnit;
  /** sha256 of the main program's text: a resumed run must run the same program. */
  hash: string;
  /** Diagnostics of every program loaded, each with its source. */
  problems: Array<{ diagnostic: Diagnostic; source: Source }>;
}

export interface LoadContext {
  project: Project;
  /** choiros.yaml names the checker verifies `verify` and `session:` against. */
  gates: string[] | undefined;
  agents: string[];
  phase: string | undefined;
}

/** Where `use "owner/name"` is looked for: the project's `.choiros/programs/`, then `$CHOIROS_HOME/programs/`. */
export function registryPaths(project: Project, path: string): string[] {
  const file = path.replace(/^@/, '').replace(/\.prose$/, '') + '.prose';
  return [join(stateDir(project.root), 'programs', file), join(project.home, 'programs', file)];
}

function resolveUse(project: Project, from: string, path: string): string {
  if (/^https?:\/\//.test(path)) {
    throw new UsageError(`${relative(project.root, from) || from}: \`use "${path}"\`: programs are not fetched over the network.`, { hint: `Download it and use the local copy, or put it in ${registryPaths(project, 'owner/name')[0]}.` });
  }
  if (/^(\.{1,2})?\//.test(path)) {
    const file = resolve(dirname(from), path);
    if (existsSync(file)) return file;
    if (existsSync(`${file}.prose`)) return `${file}.prose`;
    throw new UsageError(`${relative(project.root, from) || from}: \`use "${path}"\`: no such file.`);
  }
  const candidates = registryPaths(project, path);
  const found = candidates.find((c) => existsSync(c));
  if (found !== undefined) return found;
  throw new UsageError(`${relative(project.root, from) || from}: the program "${path}" is not installed.`, { hint: `Put it in ${candidates.join(' or ')}.` });
}

function signature(unit: ProgramUnit): ProgramSignature {
  const outputs: string[] = [];
  for (const s of unit.program.statements) if ((s.kind === 'Output' && s.name !== undefined) || s.kind === 'OutputDeclaration') outputs.push((s.name as { name: string }).name);
  return { inputs: declaredInputs(unit).map((i) => i.name.name), outputs };
}

function load(file: string, name: string, context: LoadContext, stack: readonly string[], problems: Loaded['problems'], main: boolean): ProgramUnit {
  if (stack.includes(file)) throw new UsageError(`Programs use each other in a cycle: ${[...stack, file].map((f) => relative(context.project.root, f)).join(' -> ')}.`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read ${relative(process.cwd(), file) || file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}.`);
  }
  const parsed = parseProgram(text, main ? name : relative(context.project.root, file) || file);
  const programs = new Map<string, ProgramUnit>();
  const signatures = new Map<string, ProgramSignature>();
  for (const statement of parsed.program.statements) {
    if (statement.kind !== 'Use') continue;
    const callable = statement.alias?.name ?? statement.path.value.replace(/\.prose$/, '').split('/').at(-1) ?? statement.path.value;
    const used = load(resolveUse(context.project, file, statement.path.value), callable, context, [...stack, file], problems, false);
    programs.set(callable, used);
    signatures.set(statement.path.value, signature(used));
  }
  const checked = checkProgram(parsed, { ...(context.gates === undefined ? {} : { gates: context.gates }), agents: context.agents, ...(main && context.phase !== undefined ? { phase: context.phase } : {}), programs: signatures });
  for (const diagnostic of sortDiagnostics([...parsed.diagnostics, ...checked])) problems.push({ diagnostic, source: parsed.source });
  return makeUnit(name, parsed, programs);
}

/** Reads, parses and checks a program and every program it `use`s (local paths and installed ones). */
export function loadProgram(path: string, cwd: string, context: LoadContext): Loaded {
  const file = resolve(cwd, path);
  const problems: Loaded['problems'] = [];
  const unit = load(file, path, context, [], problems, true);
  return { unit, hash: createHash('sha256').update(unit.source.text).digest('hex'), problems };
}
