import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { checkProgram, parseProgram, programSignature, sortDiagnostics, type CheckOptions, type Diagnostic, type ParseResult, type ProgramSignature, type Source } from '../../prose/index.js';
import { notProgramText, type ProgramFile } from './read-programs.js';
import { resolveUse, type ProgramPlaces } from './use-programs.js';

export interface CheckedProgram {
  /** As the user wrote it; relative to the working directory for a program found through `use`. */
  path: string;
  source: Source;
  diagnostics: Diagnostic[];
}

interface Unit {
  file: string;
  path: string;
  parsed: ParseResult;
  /** What the checker is told about this program's `use`s, by use path. */
  programs: Map<string, ProgramSignature>;
  unloadable: Map<string, string>;
  visited: boolean;
}

/**
 * Checks the given programs and every program they `use`, found the way `prose run` finds them,
 * so calls are checked against the inputs and outputs of the program they call (E026–E028) and a
 * `use` that `prose run` could not load is E025 here rather than a surprise at run time. Only a
 * local path can fail: whether `owner/name` is installed, or a URL is reachable, says nothing
 * about the program, so those are checked when they are installed and skipped when not. Each file
 * is checked once, the given ones first.
 */
export function checkPrograms(files: readonly ProgramFile[], cwd: string, places: ProgramPlaces, options: CheckOptions): CheckedProgram[] {
  const units = new Map<string, Unit>();
  const add = (file: string, path: string, text: string): Unit => {
    const unit: Unit = { file, path, parsed: parseProgram(text, path), programs: new Map(), unloadable: new Map(), visited: false };
    units.set(file, unit);
    return unit;
  };
  const given = files.map((f) => units.get(resolve(cwd, f.path)) ?? add(resolve(cwd, f.path), f.path, f.text));

  /** Depth first, as `prose run` loads: a program met again on the way down is a cycle. */
  const visit = (unit: Unit, stack: readonly Unit[]): void => {
    unit.visited = true;
    for (const statement of unit.parsed.program.statements) {
      if (statement.kind !== 'Use') continue;
      const path = statement.path.value;
      const target = resolveUse(places, unit.file, path);
      if (target.kind === 'no-file') unit.unloadable.set(path, 'no such file');
      if (target.kind !== 'file') continue;
      let used = units.get(target.file);
      if (used === undefined) {
        const read = readText(target.file);
        if ('error' in read) {
          unit.unloadable.set(path, read.error);
          continue;
        }
        used = add(target.file, relative(cwd, target.file) || target.file, read.text);
      }
      unit.programs.set(path, programSignature(used.parsed.program));
      const cycle = stack.indexOf(used);
      if (cycle !== -1) unit.unloadable.set(path, `programs use each other in a cycle: ${[...stack.slice(cycle), used].map((u) => u.path).join(' -> ')}`);
      else if (!used.visited) visit(used, [...stack, used]);
    }
  };
  for (const unit of given) if (!unit.visited) visit(unit, [unit]);

  return [...units.values()].map((unit) => {
    const checked = checkProgram(unit.parsed, { ...options, programs: unit.programs, unloadable: unit.unloadable });
    return { path: unit.path, source: unit.parsed.source, diagnostics: sortDiagnostics([...unit.parsed.diagnostics, ...checked]) };
  });
}

function readText(file: string): { text: string } | { error: string } {
  try {
    const text = readFileSync(file, 'utf8');
    const problem = notProgramText(text);
    return problem === undefined ? { text } : { error: problem };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'EISDIR' ? 'it is a directory' : `cannot read it (${code ?? String(error)})` };
  }
}
