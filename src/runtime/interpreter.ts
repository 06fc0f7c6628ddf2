import type { Block, Expression, Statement, Value as ValueNode } from '../prose/index.js';
import { assertNever } from '../errors.js';
import { callBlock, callProgram, runDoBlock } from './calls.js';
import { condition, discretionValue } from './conditions.js';
import type { RunContext } from './context.js';
import { runAssert, runChoice, runIf, runThrow, runTry } from './control-flow.js';
import { Env } from './env.js';
import { BlockReturn, ProseError } from './errors.js';
import { runCheckpoint, runGate, runRollback } from './extensions.js';
import { runVerify } from './verify-step.js';
import { runExec } from './exec.js';
import { child, site, type Frame } from './frame.js';
import { runInput } from './inputs.js';
import { fill } from './interpolate.js';
import { runFor, runLoop, runRepeat } from './loops.js';
import { binary, index, member, OperandError } from './operators.js';
import { runParallel, runParallelFor } from './parallel.js';
import { runPipeline } from './pipelines.js';
import { runSession } from './sessions.js';
import { isObject, Tagged, type Value } from './values.js';

/**
 * The tree walker. Statements and expressions are evaluated here; each construct with more to
 * it lives in a module of its own (sessions, parallel, loops, pipelines, calls, the choiros
 * extensions), all taking the interpreter, the node and the frame. Effects go through the ports
 * of `rc`; nothing here reads a file, a clock or a terminal.
 */
export class Interpreter {
  constructor(readonly rc: RunContext) {}

  /** Runs a block's statements in `frame`; the value is the last statement's (or an `output`'s). */
  async block(block: Block, frame: Frame): Promise<Value> {
    let value: Value = null;
    for (const statement of block.statements) value = await this.statement(statement, frame);
    return value;
  }

  /** A body in a scope of its own where `output` returns (blocks, pipeline steps, parallel-for bodies). */
  async returning(block: Block, frame: Frame): Promise<Value> {
    try {
      return await this.block(block, child(frame, { inBlock: true }));
    } catch (signal) {
      if (signal instanceof BlockReturn) return signal.value;
      throw signal;
    }
  }

  async statement(statement: Statement, frame: Frame): Promise<Value> {
    switch (statement.kind) {
      case 'Use':
      case 'Import':
      case 'Agent':
      case 'BlockDefinition':
      case 'OutputDeclaration':
        return null;
      case 'Phase':
        return this.block(statement.body, child(frame, { env: new Env(frame.env, 'block'), phase: statement.name.name }));
      case 'Input':
        return runInput(this, statement, frame);
      case 'Let': {
        const value = await this.value(statement.value, frame);
        if (statement.target.kind === 'Identifier') frame.env.declare(statement.target.name, value, statement.constant);
        else for (const name of statement.target.names) frame.env.declare(name.name, destructured(value, name.name), statement.constant);
        return value;
      }
      case 'Assign': {
        const value = await this.value(statement.value, frame);
        if (frame.env.isConstant(statement.target.name)) throw new ProseError('name', `cannot reassign the const \`${statement.target.name}\``, site(frame, statement.target.span));
        frame.env.assign(statement.target.name, value);
        return value;
      }
      case 'Output':
        return this.output(statement, frame);
      case 'Throw':
        return runThrow(this, statement, frame);
      case 'Assert':
        return runAssert(this, statement, frame);
      case 'Rollback':
        return runRollback(this, statement, frame);
      default:
        return this.value(statement, frame);
    }
  }

  private async output(statement: Extract<Statement, { kind: 'Output' }>, frame: Frame): Promise<Value> {
    const value = await this.value(statement.value, frame);
    if (frame.inBlock) throw new BlockReturn(value);
    const name = statement.name?.name ?? '';
    frame.outputs.set(name, value);
    if (name !== '') frame.env.assign(name, value);
    if (frame.depth === 0) this.rc.emit({ type: 'output', name: name === '' ? null : name, value: value });
    return value;
  }

  /** Anything that may stand on the right of `let x =`: an expression or a control construct. */
  value(node: ValueNode, frame: Frame): Promise<Value> {
    switch (node.kind) {
      case 'If':
        return runIf(this, node, frame);
      case 'Try':
        return runTry(this, node, frame);
      case 'Choice':
        return runChoice(this, node, frame);
      case 'Repeat':
        return runRepeat(this, node, frame);
      case 'For':
        return runFor(this, node, frame);
      case 'Loop':
        return runLoop(this, node, frame);
      default:
        return this.expression(node, frame);
    }
  }

  /** One case per kind of expression: the dispatch is the language's table of contents. */
  async expression(node: Expression, frame: Frame): Promise<Value> {
    switch (node.kind) {
      case 'Identifier':
        return this.lookup(node.name, node, frame);
      case 'String':
        return fill(node.value, node.interpolations, frame, node.span);
      case 'Discretion':
        return discretionValue(this, node, frame);
      case 'Number':
      case 'Boolean':
        return node.value;
      case 'Null':
        return null;
      case 'Array': {
        const items: Value[] = [];
        for (const element of node.elements) items.push(await this.expression(element, frame));
        return items;
      }
      case 'Object': {
        const entries: Record<string, Value> = {};
        for (const entry of node.entries) entries[entry.key] = entry.value === undefined ? this.lookup(entry.key, entry, frame) : await this.expression(entry.value, frame);
        return entries;
      }
      case 'Binary':
        if (node.operator === 'and' || node.operator === 'or') return condition(this, node, frame, false);
        return this.operate(node, async () => {
          const left = await this.expression(node.left, frame);
          return binary(node.operator as Exclude<typeof node.operator, 'and' | 'or'>, left, await this.expression(node.right, frame));
        }, frame);
      case 'Unary':
        if (node.operator === 'not') return !(await condition(this, node.operand, frame, false));
        return this.operate(node, async () => binary('-', 0, await this.expression(node.operand, frame)), frame);
      case 'Member':
        return this.operate(node, async () => member(await this.expression(node.object, frame), node.property.name), frame);
      case 'Index':
        return this.operate(node, async () => index(await this.expression(node.object, frame), await this.expression(node.index, frame)), frame);
      case 'Call':
        return frame.unit.blocks.has(node.callee.name) ? callBlock(this, node.callee, node.args, node, frame) : callProgram(this, node, frame);
      case 'Session':
      case 'Resume':
        return runSession(this, node, frame);
      case 'DoBlock':
        return runDoBlock(this, node, frame);
      case 'DoCall':
        return callBlock(this, node.name, node.args, node, frame);
      case 'Parallel':
        return runParallel(this, node, frame);
      case 'ParallelFor':
        return runParallelFor(this, node, frame);
      case 'Pipeline':
        return runPipeline(this, node, frame);
      case 'Sequence': {
        let value: Value = null;
        for (const step of node.steps) value = await this.expression(step, frame);
        return value;
      }
      case 'Exec':
        return runExec(this, node, frame);
      case 'Verify':
        return runVerify(this, node, frame);
      case 'Checkpoint':
        return runCheckpoint(this, node, frame);
      case 'Gate':
        return runGate(this, node, frame);
      default:
        return assertNever(node, 'expression');
    }
  }

  lookup(name: string, node: { span: Expression['span'] }, frame: Frame): Value {
    const value = frame.env.get(name);
    if (value !== undefined) return value;
    const isInput = frame.unit.inputs.includes(name);
    const message = isInput ? `input \`${name}\` was not given: pass ${name}=VALUE to prose run` : `\`${name}\` is not bound here`;
    throw new ProseError(isInput ? 'input' : 'name', message, site(frame, node.span));
  }

  /** Evaluates an operator, turning a type error into a ProseError at the operator's position. */
  private async operate(node: Expression, work: () => Promise<Value>, frame: Frame): Promise<Value> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof OperandError) throw new ProseError('type', error.message, site(frame, node.span));
      throw error;
    }
  }
}

/** `let {a, b} = value`: a key of an object, a field of a tagged value, else null. */
function destructured(value: Value, name: string): Value {
  if (value instanceof Tagged) return value.fields[name] ?? null;
  if (isObject(value)) return value[name] ?? null;
  return null;
}
