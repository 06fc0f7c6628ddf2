import type { Argument, Expression, Identifier, Parallel, Pipeline, Session } from './ast.js';
import { assertNever } from '../errors.js';
import { checkExec } from './check-exec.js';
import { checkProperties, checkPromptText, propertyNamed, wordOf } from './check-properties.js';
import { assign, checkBody, checkCall, checkValue, literalNumber, type CheckContext } from './checker.js';
import { Scope } from './scope.js';

/** Walks an expression: sessions, agents, calls, gates and everything nested in them. */
export function checkExpression(context: CheckContext, expression: Expression, scope: Scope): void {
  switch (expression.kind) {
    case 'Identifier':
    case 'String':
    case 'Discretion':
    case 'Number':
    case 'Boolean':
    case 'Null':
      return;
    case 'Array':
      return checkAll(context, expression.elements, scope);
    case 'Object':
      for (const entry of expression.entries) if (entry.value !== undefined) checkExpression(context, entry.value, scope);
      return;
    case 'Binary':
      checkExpression(context, expression.left, scope);
      return checkExpression(context, expression.right, scope);
    case 'Unary':
      return checkExpression(context, expression.operand, scope);
    case 'Member':
      checkExpression(context, expression.object, scope);
      return checkOutput(context, expression.object, expression.property, scope);
    case 'Index':
      checkExpression(context, expression.object, scope);
      return checkExpression(context, expression.index, scope);
    case 'Call':
      checkCall(context, expression.callee, expression.args, false);
      for (const arg of expression.args) checkExpression(context, arg.value, scope);
      return;
    case 'Session':
      return checkSession(context, expression, scope);
    case 'Resume':
      checkAgentUse(context, expression.agent, 'resume');
      return checkProperties(context.sink, 'session', expression.properties, context.declarations.skills);
    case 'DoBlock':
      return checkBody(context, expression.body, new Scope(scope, 'block'), []);
    case 'DoCall':
      checkCall(context, expression.name, expression.args, true);
      for (const arg of expression.args) checkExpression(context, arg.value, scope);
      return;
    case 'Parallel':
      return checkParallel(context, expression, scope);
    case 'ParallelFor':
      checkModifiers(context, expression.modifiers, expression.iterable.kind === 'Array' ? expression.iterable.elements.length : undefined);
      checkExpression(context, expression.iterable, scope);
      return checkBody(context, expression.body, new Scope(scope, 'block'), expression.index === undefined ? [expression.item] : [expression.item, expression.index]);
    case 'Pipeline':
      return checkPipeline(context, expression, scope);
    case 'Sequence':
      return checkAll(context, expression.steps, scope);
    case 'Exec':
      checkExpression(context, expression.command, scope);
      checkExec(context, expression, scope);
      return checkProperties(context.sink, 'exec', expression.properties, undefined);
    case 'Verify':
      return checkGates(context, expression.gates);
    case 'Checkpoint':
      if (expression.message !== undefined) checkExpression(context, expression.message, scope);
      return;
    case 'Gate':
      return checkProperties(context.sink, 'gate', expression.properties, undefined);
    default:
      return assertNever(expression, 'expression');
  }
}

function checkAll(context: CheckContext, expressions: readonly Expression[], scope: Scope): void {
  for (const expression of expressions) checkExpression(context, expression, scope);
}

function checkSession(context: CheckContext, session: Session, scope: Scope): void {
  const { sink } = context;
  const promptProperty = propertyNamed(session.properties, 'prompt');
  if (session.prompt === undefined && session.agent === undefined && promptProperty === undefined) {
    sink.report('E003', { start: session.span.start, end: session.span.start + 7 }, 'session without a prompt or an agent: write `session "…"` or `session: NAME`');
  }
  if (session.prompt !== undefined) {
    checkExpression(context, session.prompt, scope);
    checkPromptText(sink, session.prompt);
  }
  if (session.agent !== undefined) checkAgentUse(context, session.agent, 'session');
  checkProperties(sink, 'session', session.properties, context.declarations.skills);
  for (const property of session.properties) if (property.value.kind !== 'PropertyBlock') checkExpression(context, property.value, scope);
}

/** The agent of `session: NAME` or `resume: NAME` must exist; `resume` needs memory, a second `session` loses it. */
function checkAgentUse(context: CheckContext, name: Identifier, how: 'session' | 'resume'): void {
  const { sink } = context;
  const agent = context.declarations.agents.get(name.name);
  if (agent === undefined) {
    // choiros.yaml agents and `use`d programs (which may define agents) are not the program's to know.
    const known = context.options.agents?.includes(name.name) === true || context.declarations.programs.has(name.name);
    if (!known) sink.report('E007', name.span, `undefined agent \`${name.name}\``);
    return;
  }
  const remembers = context.declarations.persistent.has(name.name);
  if (how === 'resume' && !remembers) sink.report('E017', name.span, `\`resume:\` needs an agent that persists: add \`persist: true\` to agent \`${name.name}\``);
  if (how === 'session' && remembers && context.started.has(name.name)) {
    sink.report('W011', name.span, `\`session: ${name.name}\` starts the persistent agent afresh: use \`resume: ${name.name}\` to keep its memory`);
  }
  context.started.add(name.name);
}

/** Named branches (`a = session …`) are bound in the enclosing scope, visible after the join. */
function checkParallel(context: CheckContext, parallel: Parallel, scope: Scope): void {
  checkModifiers(context, parallel.modifiers, parallel.body.statements.length);
  const inner = new Scope(scope, 'block');
  const named = new Map<string, Identifier>();
  for (const statement of parallel.body.statements) {
    if (statement.kind !== 'Assign') {
      context.statements([statement], inner);
      continue;
    }
    checkValue(context, statement.value, inner);
    const first = named.get(statement.target.name);
    if (first !== undefined) {
      const line = context.sink.source.position(first.span.start).line;
      context.sink.report('E019', statement.target.span, `duplicate variable \`${first.name}\`: already bound on line ${line}`);
      continue;
    }
    named.set(statement.target.name, statement.target);
    assign(context, statement.target, scope);
  }
}

const STRATEGIES = ['all', 'first', 'any'];
const ON_FAIL = ['fail-fast', 'continue', 'ignore'];

/**
 * `parallel ("any", on-fail: "continue", count: 2)`: one strategy, each named modifier once (a
 * run would use the last), and `count` only with "any" and no more than the branches it waits
 * for, when their number is known.
 */
function checkModifiers(context: CheckContext, modifiers: readonly Argument[], branches: number | undefined): void {
  const { sink } = context;
  let strategy: Argument | undefined;
  const named = new Map<string, Argument>();
  for (const modifier of modifiers) {
    const name = modifier.name;
    if (name === undefined) {
      checkStrategy(context, modifier, strategy);
      strategy ??= modifier;
    } else if (named.has(name.name)) {
      sink.report('E009', name.span, `duplicate parallel modifier \`${name.name}\``);
    } else {
      named.set(name.name, modifier);
      checkNamedModifier(context, name, modifier.value);
    }
  }
  const count = named.get('count');
  if (count?.name !== undefined) checkCount(context, count.name, count.value, strategy, branches);
}

function checkStrategy(context: CheckContext, modifier: Argument, first: Argument | undefined): void {
  const { sink } = context;
  const word = wordOf(modifier.value);
  if (word === undefined || !STRATEGIES.includes(word)) return sink.report('P105', modifier.span, 'unknown parallel strategy: use "all", "first" or "any"');
  if (first === undefined) return;
  const before = wordOf(first.value) ?? sink.source.text.slice(first.span.start, first.span.end);
  sink.report('P105', modifier.span, before === word ? `duplicate parallel strategy "${word}"` : `conflicting parallel strategies "${before}" and "${word}": a parallel takes one`);
}

function checkNamedModifier(context: CheckContext, name: Identifier, value: Expression): void {
  const { sink } = context;
  if (name.name === 'on-fail') {
    const word = wordOf(value);
    if (word === undefined || !ON_FAIL.includes(word)) sink.report('P105', value.span, '`on-fail` must be "fail-fast", "continue" or "ignore"');
  } else if (name.name === 'count' || name.name === 'max') {
    const n = literalNumber(value);
    if (n !== undefined && (n <= 0 || !Number.isInteger(n))) sink.report('P105', value.span, `\`${name.name}\` must be a positive whole number`);
  } else {
    sink.report('P105', name.span, `unknown parallel modifier \`${name.name}\`: use a strategy, \`on-fail:\` or \`count:\``);
  }
}

/** `count` is how many branches "any" waits for: other strategies ignore it, and it cannot exceed the branches. */
function checkCount(context: CheckContext, name: Identifier, value: Expression, strategy: Argument | undefined, branches: number | undefined): void {
  const word = strategy === undefined ? undefined : wordOf(strategy.value);
  if (word !== 'any') {
    // An unknown strategy has its own diagnostic.
    if (strategy !== undefined && (word === undefined || !STRATEGIES.includes(word))) return;
    const why = word === undefined ? 'write `parallel ("any", count: N)`' : `"${word}" ignores it`;
    return context.sink.report('P105', name.span, `\`count\` needs the "any" strategy: ${why}`);
  }
  const n = literalNumber(value);
  if (n !== undefined && branches !== undefined && n > branches) {
    context.sink.report('P105', value.span, `\`count: ${n}\` is more than the ${branches} branch${branches === 1 ? '' : 'es'} this parallel has`);
  }
}

function checkPipeline(context: CheckContext, pipeline: Pipeline, scope: Scope): void {
  checkExpression(context, pipeline.source, scope);
  for (const stage of pipeline.stages) {
    const inner = new Scope(scope, 'block');
    const implicit = stage.operator.name === 'reduce' ? ['acc', 'item'] : ['item'];
    const names = stage.params.length > 0 ? stage.params : implicit.map((name): Identifier => ({ kind: 'Identifier', name, span: stage.operator.span }));
    checkBody(context, stage.body, inner, names, stage.params.length === 0);
  }
}

function checkGates(context: CheckContext, gates: readonly Identifier[]): void {
  const known = context.options.gates;
  if (known === undefined) return;
  for (const gate of gates) {
    if (!known.includes(gate.name)) {
      const list = known.length === 0 ? 'it defines no gates' : `it defines ${known.join(', ')}`;
      context.sink.report('P109', gate.span, `verify gate \`${gate.name}\` is not in choiros.yaml: ${list}`);
    }
  }
}

/** E028: `r.x` where `r` holds the result of an imported program that has no output `x`. */
function checkOutput(context: CheckContext, object: Expression, property: Identifier, scope: Scope): void {
  if (object.kind !== 'Identifier') return;
  const outputs = scope.lookup(object.name)?.outputs;
  if (outputs !== undefined && !outputs.includes(property.name)) {
    context.sink.report('E028', property.span, `unknown output \`${property.name}\`: the program's outputs are ${outputs.join(', ') || 'none'}`);
  }
}
