import type { Agent, BlockDefinition, Phase, Program, Source } from '../prose/index.js';
import { collectDeclarations } from '../prose/declarations.js';
import { DiagnosticSink } from '../prose/diagnostics.js';

/**
 * A program ready to run: its syntax tree, its source (for positions and step keys), what it
 * declares, and the programs its `use` statements name, loaded and checked by the caller (the
 * interpreter reads no files).
 */
export interface ProgramUnit {
  /** How the caller names it (`research`), or the file name for the main program. */
  name: string;
  source: Source;
  program: Program;
  agents: ReadonlyMap<string, Agent>;
  persistent: ReadonlySet<string>;
  blocks: ReadonlyMap<string, BlockDefinition>;
  phases: ReadonlyMap<string, Phase>;
  /** Callable name → the `use` path. */
  uses: ReadonlyMap<string, string>;
  /** Callable name → the loaded program. */
  programs: ReadonlyMap<string, ProgramUnit>;
  /** `input` names in the order they are declared (positional arguments of a call follow it). */
  inputs: readonly string[];
}

/** Builds a unit from a parse; `programs` holds the units of its `use`s by callable name. */
export function makeUnit(name: string, parsed: { program: Program; source: Source }, programs: ReadonlyMap<string, ProgramUnit> = new Map()): ProgramUnit {
  // The caller checked the program already; diagnostics found again here are not needed.
  const declarations = collectDeclarations(parsed.program, new DiagnosticSink(parsed.source));
  return {
    name,
    source: parsed.source,
    program: parsed.program,
    agents: declarations.agents,
    persistent: declarations.persistent,
    blocks: declarations.blocks,
    phases: declarations.phases,
    uses: declarations.programs,
    programs,
    inputs: topLevelInputs(parsed.program),
  };
}

function topLevelInputs(program: Program): string[] {
  const names: string[] = [];
  for (const statement of program.statements) if (statement.kind === 'Input') names.push(statement.name.name);
  return names;
}
