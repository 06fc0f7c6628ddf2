import type { Agent, BlockDefinition, Phase, Program, Statement, Use } from './ast.js';
import { propertyNamed, wordOf } from './check-properties.js';
import type { DiagnosticSink } from './diagnostics.js';

/** Everything a program declares that may be used before it is declared: agents, blocks, imports, phases. */
export interface Declarations {
  agents: Map<string, Agent>;
  /** The agents that keep memory between sessions (`persist:`), for `resume:` and W011. */
  persistent: Set<string>;
  blocks: Map<string, BlockDefinition>;
  /** Callable names of `use`d programs (the alias, else the last path segment) → the use path. */
  programs: Map<string, string>;
  /** Skills named by legacy `import`; undefined when the program has none. */
  skills: Set<string> | undefined;
  phases: Map<string, Phase>;
}

/** A statement that only declares something (a `use`, an input, an agent, a block, an output): nothing to run or show. */
export type Declaration = Extract<Statement, { kind: 'Use' | 'Import' | 'Input' | 'Agent' | 'BlockDefinition' | 'OutputDeclaration' }>;

export function isDeclaration(statement: Statement): statement is Declaration {
  switch (statement.kind) {
    case 'Use':
    case 'Import':
    case 'Input':
    case 'Agent':
    case 'BlockDefinition':
    case 'OutputDeclaration':
      return true;
    default:
      return false;
  }
}

/** `owner/name` (a registry program, `@owner/name` too), a URL, or a local path. */
const USE_PATH = /^(@?[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*|https?:\/\/\S+|\.{1,2}\/\S+|\/\S+)$/;
const IMPORT_SOURCE = /^(github:|npm:|https?:\/\/|\.{1,2}\/|\/)/;

export function collectDeclarations(program: Program, sink: DiagnosticSink): Declarations {
  const found: Declarations = { agents: new Map(), persistent: new Set(), blocks: new Map(), programs: new Map(), skills: undefined, phases: new Map() };
  collect(program.statements, found, new Set(), sink);
  return found;
}

function collect(statements: readonly Statement[], found: Declarations, usePaths: Set<string>, sink: DiagnosticSink): void {
  for (const statement of statements) visit(statement, found, usePaths, sink);
}

/**
 * Declares what a statement declares and goes into the statement lists nested in it (bodies,
 * branches, clauses, pipeline steps), in source order. One switch for both, and no list of the
 * nested lists: this walk covers every statement of the program before the checker's own walk.
 */
function visit(statement: Statement, found: Declarations, usePaths: Set<string>, sink: DiagnosticSink): void {
  switch (statement.kind) {
    case 'Agent':
    case 'Use':
    case 'Import':
      return declare(statement, found, usePaths, sink);
    case 'BlockDefinition':
    case 'Phase':
      declare(statement, found, usePaths, sink);
      return collect(statement.body.statements, found, usePaths, sink);
    case 'DoBlock':
    case 'Parallel':
    case 'ParallelFor':
    case 'Repeat':
    case 'For':
    case 'Loop':
      return collect(statement.body.statements, found, usePaths, sink);
    case 'If':
      for (const branch of statement.branches) collect(branch.body.statements, found, usePaths, sink);
      if (statement.otherwise !== undefined) collect(statement.otherwise.statements, found, usePaths, sink);
      return;
    case 'Try':
      collect(statement.body.statements, found, usePaths, sink);
      if (statement.handler !== undefined) collect(statement.handler.body.statements, found, usePaths, sink);
      if (statement.finalizer !== undefined) collect(statement.finalizer.statements, found, usePaths, sink);
      return;
    case 'Choice':
      for (const option of statement.options) collect(option.body.statements, found, usePaths, sink);
      return;
    case 'Let':
    case 'Assign':
    case 'Output':
      // A value declares nothing itself (no value is an agent, a block or a phase), but may hold blocks that do.
      return visit(statement.value, found, usePaths, sink);
    case 'Pipeline':
      for (const stage of statement.stages) collect(stage.body.statements, found, usePaths, sink);
      return;
    default:
      return;
  }
}

function declare(statement: Extract<Statement, { kind: 'Agent' | 'BlockDefinition' | 'Phase' | 'Use' | 'Import' }>, found: Declarations, usePaths: Set<string>, sink: DiagnosticSink): void {
  switch (statement.kind) {
    case 'Agent':
      if (found.agents.has(statement.name.name)) sink.report('E006', statement.name.span, `duplicate agent \`${statement.name.name}\``);
      else found.agents.set(statement.name.name, statement);
      if (persists(statement)) found.persistent.add(statement.name.name);
      return;
    case 'BlockDefinition':
      if (found.blocks.has(statement.name.name)) sink.report('P112', statement.name.span, `duplicate block \`${statement.name.name}\``);
      else found.blocks.set(statement.name.name, statement);
      return;
    case 'Phase':
      if (found.phases.has(statement.name.name)) sink.report('P107', statement.name.span, `duplicate phase \`${statement.name.name}\``);
      else found.phases.set(statement.name.name, statement);
      return;
    case 'Use':
      return collectUse(statement, found, usePaths, sink);
    case 'Import':
      found.skills ??= new Set();
      found.skills.add(statement.skill.value);
      sink.report('P110', { start: statement.span.start, end: statement.span.start + 6 }, 'legacy `import … from …`: name skills in an agent\'s `skills:`');
      if (!IMPORT_SOURCE.test(statement.source.value)) sink.report('W006', statement.source.span, `unknown import source \`${statement.source.value}\`: use github:, npm: or a path`);
      return;
  }
}

function collectUse(statement: Use, found: Declarations, paths: Set<string>, sink: DiagnosticSink): void {
  const path = statement.path.value;
  if (path.trim() === '') {
    sink.report('E011', statement.path.span, 'empty `use` path: `use "owner/name"`');
    return;
  }
  if (!USE_PATH.test(path)) sink.report('E012', statement.path.span, `bad \`use\` path \`${path}\`: expected "owner/name"`);
  const name = statement.alias?.name ?? path.replace(/\.prose$/, '').split('/').at(-1) ?? path;
  if (paths.has(path)) sink.report('E010', statement.path.span, `duplicate \`use\` of "${path}"`);
  else if (found.programs.has(name)) sink.report('E010', (statement.alias ?? statement.path).span, `duplicate \`use\` name \`${name}\``);
  paths.add(path);
  if (!found.programs.has(name)) found.programs.set(name, path);
}

/** Whether an agent keeps memory between sessions (`persist: true | project | user | "path"`). */
function persists(agent: Agent): boolean {
  const persist = propertyNamed(agent.properties, 'persist')?.value;
  if (persist === undefined) return false;
  if (persist.kind === 'Boolean') return persist.value;
  const word = wordOf(persist);
  return word !== undefined && word !== 'false' && word !== '';
}
