import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Project } from '../../config/load.js';
import { assertNever, UsageError } from '../../errors.js';
import { checkProgram, parseProgram, programSignature, sortDiagnostics, type Diagnostic, type ProgramSignature, type Source } from '../../prose/index.js';
import { makeUnit, type ProgramUnit } from '../../runtime/program.js';
import { notProgramText, readProblem } from './read-programs.js';
import { registryPaths, resolveUse } from './use-programs.js';

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

/** The file a `use` names; anything else makes the run unusable (exit 2). */
function useFile(project: Project, from: string, path: string): string {
  const target = resolveUse(project, from, path);
  const where = relative(project.root, from) || from;
  switch (target.kind) {
    case 'file':
      return target.file;
    case 'network':
      throw new UsageError(`${where}: \`use "${path}"\`: programs are not fetched over the network.`, { hint: `Download it and use the local copy, or put it in ${registryPaths(project, 'owner/name')[0]}.` });
    case 'no-file':
      throw new UsageError(`${where}: \`use "${path}"\`: no such file.`);
    case 'not-installed':
      throw new UsageError(`${where}: the program "${path}" is not installed.`, { hint: `Put it in ${target.candidates.join(' or ')}.` });
    default:
      return assertNever(target, 'use target');
  }
}

function load(file: string, name: string, context: LoadContext, stack: readonly string[], problems: Loaded['problems'], main: boolean): ProgramUnit {
  if (stack.includes(file)) throw new UsageError(`Programs use each other in a cycle: ${[...stack, file].map((f) => relative(context.project.root, f)).join(' -> ')}.`);
  let text: string;
  const shown = relative(process.cwd(), file) || file;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${shown}: ${readProblem(error)}.`);
  }
  const problem = notProgramText(text);
  if (problem !== undefined) throw new UsageError(`Cannot read ${shown}: ${problem}.`);
  const parsed = parseProgram(text, main ? name : relative(context.project.root, file) || file);
  const programs = new Map<string, ProgramUnit>();
  const signatures = new Map<string, ProgramSignature>();
  for (const statement of parsed.program.statements) {
    if (statement.kind !== 'Use') continue;
    const callable = statement.alias?.name ?? statement.path.value.replace(/\.prose$/, '').split('/').at(-1) ?? statement.path.value;
    const used = load(useFile(context.project, file, statement.path.value), callable, context, [...stack, file], problems, false);
    programs.set(callable, used);
    signatures.set(statement.path.value, programSignature(used.program));
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
