import type { Argument, Block, Expression, Identifier, Program, Statement, Value } from './ast.js';
import { checkProperties } from './check-properties.js';
import { collectDeclarations, type Declarations } from './declarations.js';
import { DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { checkExpression } from './check-expressions.js';
import { checkPhaseProperties } from './phase-properties.js';
import { Scope } from './scope.js';
import type { Source } from './source.js';

/** A parsed program and the source it came from (a `ParseResult` will do). */
export interface Parsed {
  program: Program;
  source: Source;
}

/** What the program will run against; every field is optional and enables the checks that need it. */
export interface CheckOptions {
  /** Gate names from choiros.yaml `verify:`: `verify` may name only these. */
  gates?: readonly string[];
  /** Agent names from choiros.yaml `agents:`, which `session: NAME` may use without an `agent NAME:`. */
  agents?: readonly string[];
  /** The phase a run selects (`phase=NAME`): it must exist. */
  phase?: string;
  /** Inputs and outputs of `use`d programs by path, when the caller could load them. */
  programs?: ReadonlyMap<string, ProgramSignature>;
  /** `use` paths the caller could not load, with why (`no such file`): E025 at the `use`. */
  unloadable?: ReadonlyMap<string, string>;
}

export interface ProgramSignature {
  inputs: readonly string[];
  outputs: readonly string[];
}

/** The checker's state while it walks one program. */
export interface CheckContext {
  sink: DiagnosticSink;
  options: CheckOptions;
  declarations: Declarations;
  /** Agents already started by a session, for W011. */
  started: Set<string>;
  /** Outputs given a value (`output x = …`): twice is E024. */
  outputs: Set<string>;
  /** Outputs declared with a description (`output x: "…"`), which a later `output x = …` sets. */
  declaredOutputs: Set<string>;
  inputs: Set<string>;
  statements(statements: readonly Statement[], scope: Scope): void;
}

/**
 * Checks a parsed program against the rules of PROSE.md: declarations, scopes, agents, properties
 * and choiros' extensions. Pure: the configuration comes in through `options`.
 */
export function checkProgram(parsed: Parsed, options: CheckOptions = {}): Diagnostic[] {
  const { program, source } = parsed;
  const sink = new DiagnosticSink(source);
  const declarations = collectDeclarations(program, sink);
  const context: CheckContext = {
    sink,
    options,
    declarations,
    started: new Set(),
    outputs: new Set(),
    declaredOutputs: new Set(),
    inputs: new Set(),
    statements: (statements, scope) => {
      for (const statement of statements) checkStatement(context, statement, scope, scope.kind === 'program');
    },
  };
  for (const agent of declarations.agents.values()) checkProperties(sink, 'agent', agent.properties, declarations.skills);
  if (options.phase !== undefined && !declarations.phases.has(options.phase)) {
    const names = [...declarations.phases.keys()];
    sink.report('P106', { start: 0, end: 0 }, `unknown phase \`${options.phase}\`: ${names.length === 0 ? 'the program has no phases' : `the phases are ${names.join(', ')}`}`);
  }
  context.statements(program.statements, new Scope(undefined, 'program'));
  return sink.finish();
}

function checkStatement(context: CheckContext, statement: Statement, scope: Scope, topLevel: boolean): void {
  const { sink } = context;
  switch (statement.kind) {
    case 'Use': {
      const why = context.options.unloadable?.get(statement.path.value);
      if (why !== undefined) sink.report('E025', statement.path.span, `cannot load the program "${statement.path.value}": ${why}`);
      return;
    }
    case 'Import':
    case 'Agent':
      return;
    case 'Input': {
      const name = statement.name.name;
      if (context.inputs.has(name)) sink.report('E021', statement.name.span, `duplicate input \`${name}\``);
      else if (name.trim() !== '') scope.declare(sink, { name, constant: false, at: statement.name, hoists: true });
      context.inputs.add(name);
      if (statement.prompt !== undefined) checkExpression(context, statement.prompt, scope);
      return checkProperties(sink, 'input', statement.properties, undefined);
    }
    case 'BlockDefinition':
      return checkBody(context, statement.body, new Scope(scope, 'block'), statement.params);
    case 'Phase':
      if (!topLevel) sink.report('P108', statement.name.span, `phase \`${statement.name.name}\` must be at the top level of the program`);
      checkPhaseProperties(sink, statement);
      return checkBody(context, statement.body, new Scope(scope, 'block'), []);
    case 'Let': {
      checkValue(context, statement.value, scope);
      const names = statement.target.kind === 'Identifier' ? [statement.target] : statement.target.names;
      const outputs = programOutputs(context, statement.value);
      for (const at of names) scope.declare(sink, { name: at.name, constant: statement.constant, at, hoists: true, ...(outputs && { outputs }) });
      return;
    }
    case 'Assign':
      checkValue(context, statement.value, scope);
      return assign(context, statement.target, scope);
    case 'Output':
      if (statement.name !== undefined) {
        if (context.outputs.has(statement.name.name)) sink.report('E024', statement.name.span, `duplicate output \`${statement.name.name}\``);
        context.outputs.add(statement.name.name);
      }
      return checkValue(context, statement.value, scope);
    case 'OutputDeclaration':
      if (context.declaredOutputs.has(statement.name.name)) sink.report('E024', statement.name.span, `duplicate output \`${statement.name.name}\``);
      context.declaredOutputs.add(statement.name.name);
      return;
    case 'Throw':
      if (statement.message !== undefined) checkExpression(context, statement.message, scope);
      return;
    case 'Assert':
      checkExpression(context, statement.condition, scope);
      if (statement.message !== undefined) checkExpression(context, statement.message, scope);
      return;
    case 'Rollback':
      return;
    default:
      return checkValue(context, statement, scope);
  }
}

/** `x = …`: reassigns a `let`, refuses a `const` (P101), and binds a new name when there is none. */
export function assign(context: CheckContext, target: Identifier, scope: Scope): void {
  const existing = scope.lookup(target.name);
  if (existing === undefined) {
    scope.declare(context.sink, { name: target.name, constant: false, at: target, hoists: true });
  } else if (existing.constant) {
    const line = context.sink.source.position(existing.at.span.start).line;
    context.sink.report('P101', target.span, `cannot reassign \`${target.name}\`: it is a const (line ${line})`);
  }
}

function programOutputs(context: CheckContext, value: Value): readonly string[] | undefined {
  if (value.kind !== 'Call') return undefined;
  const path = context.declarations.programs.get(value.callee.name);
  return path === undefined ? undefined : context.options.programs?.get(path)?.outputs;
}

/** A block in its own scope, with parameters or loop names bound first. */
export function checkBody(context: CheckContext, body: Block, scope: Scope, names: readonly Identifier[], quiet = false): void {
  for (const at of names) scope.declare(context.sink, { name: at.name, constant: false, at, hoists: false }, quiet);
  context.statements(body.statements, scope);
}

const NO_NAMES: readonly Identifier[] = [];

/**
 * One branch of an if/try/choice, in its own scope (a name may be bound in both `if` and
 * `else`); `hoistBranches` makes what it bound visible after the construct, once every branch
 * was checked.
 */
function checkBranch(context: CheckContext, scope: Scope, body: Block, names = NO_NAMES): Scope {
  const branch = new Scope(scope, 'branch');
  checkBody(context, body, branch, names);
  return branch;
}

function hoistBranches(branches: readonly Scope[], scope: Scope): void {
  for (const branch of branches) branch.hoistInto(scope);
}

export function checkValue(context: CheckContext, value: Value, scope: Scope): void {
  switch (value.kind) {
    case 'If': {
      for (const branch of value.branches) checkExpression(context, branch.condition, scope);
      const branches = value.branches.map((branch) => checkBranch(context, scope, branch.body));
      if (value.otherwise !== undefined) branches.push(checkBranch(context, scope, value.otherwise));
      return hoistBranches(branches, scope);
    }
    case 'Try': {
      const branches = [checkBranch(context, scope, value.body)];
      if (value.handler !== undefined) branches.push(checkBranch(context, scope, value.handler.body, value.handler.name === undefined ? NO_NAMES : [value.handler.name]));
      if (value.finalizer !== undefined) branches.push(checkBranch(context, scope, value.finalizer));
      return hoistBranches(branches, scope);
    }
    case 'Choice':
      checkExpression(context, value.criteria, scope);
      for (const option of value.options) checkExpression(context, option.label, scope);
      return hoistBranches(
        value.options.map((option) => checkBranch(context, scope, option.body)),
        scope,
      );
    case 'Repeat': {
      checkExpression(context, value.count, scope);
      const count = literalNumber(value.count);
      if (count !== undefined && (count < 0 || !Number.isInteger(count))) context.sink.report('P121', value.count.span, `\`repeat\` count must be a whole number, not ${count}`);
      return checkBody(context, value.body, new Scope(scope, 'block'), value.index === undefined ? [] : [value.index]);
    }
    case 'For':
      checkExpression(context, value.iterable, scope);
      return checkBody(context, value.body, new Scope(scope, 'block'), value.index === undefined ? [value.item] : [value.item, value.index]);
    case 'Loop':
      return checkLoop(context, value, scope);
    default:
      return checkExpression(context, value, scope);
  }
}

function checkLoop(context: CheckContext, loop: Extract<Value, { kind: 'Loop' }>, scope: Scope): void {
  const { sink } = context;
  if (loop.condition !== undefined) checkExpression(context, loop.condition, scope);
  const keyword = { start: loop.span.start, end: loop.span.start + 4 };
  if (loop.max === undefined) {
    sink.report('P103', keyword, '`loop` without `(max: N)`: choiros stops it after 100 iterations');
  } else {
    checkExpression(context, loop.max, scope);
    const max = literalNumber(loop.max);
    if (max !== undefined && (max <= 0 || !Number.isInteger(max))) sink.report('P104', loop.max.span, `loop \`max\` must be a positive whole number, not ${max}`);
  }
  checkBody(context, loop.body, new Scope(scope, 'block'), loop.index === undefined ? [] : [loop.index]);
}

/** The value of a number written in the program (`3`, `-1`, `2.5`); undefined for anything computed. */
export function literalNumber(expression: Expression): number | undefined {
  if (expression.kind === 'Number') return expression.value;
  if (expression.kind === 'Unary' && expression.operator === '-' && expression.operand.kind === 'Number') return -expression.operand.value;
  return undefined;
}

/** Calls of blocks and imported programs: the callee must exist and the arguments must match. */
export function checkCall(context: CheckContext, callee: Identifier, args: readonly Argument[], viaDo: boolean): void {
  const { sink, declarations } = context;
  const block = declarations.blocks.get(callee.name);
  const path = declarations.programs.get(callee.name);
  let inputs: readonly string[] | undefined;
  let what: string;
  if (block !== undefined) {
    inputs = block.params.map((p) => p.name);
    what = `block \`${callee.name}\``;
  } else if (path !== undefined) {
    inputs = context.options.programs?.get(path)?.inputs;
    what = `program \`${callee.name}\``;
  } else {
    if (viaDo) sink.report('P111', callee.span, `undefined block \`${callee.name}\``);
    else sink.report('E025', callee.span, `unknown program \`${callee.name}\`: no block or \`use\` of that name`);
    return;
  }
  if (inputs === undefined) return;
  const given = new Set<string>();
  args.forEach((arg, i) => {
    const name = arg.name?.name ?? inputs[i];
    if (name === undefined) sink.report('E027', arg.span, `too many arguments: ${what} takes ${inputs.length}`);
    else if (!inputs.includes(name)) sink.report('E027', arg.span, `unknown input \`${name}\` for ${what}`);
    else given.add(name);
  });
  const missing = inputs.filter((name) => !given.has(name));
  if (missing.length > 0) {
    sink.report('E026', callee.span, `missing input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')} for ${what}`);
  }
}

