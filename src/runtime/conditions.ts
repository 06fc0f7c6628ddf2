import type { Discretion, Expression } from '../prose/index.js';
import { fill } from './interpolate.js';
import type { Interpreter } from './interpreter.js';
import { keyOf, type Frame } from './frame.js';
import type { Answer, Question } from './ports.js';
import { beforeStep } from './steps.js';
import { isTruthy, toText, type Value } from './values.js';

const deterministic = new WeakMap<Expression, boolean>();

/** Whether an expression can be evaluated without an oracle or an effect (no discretion, no session, no call). */
export function isDeterministic(node: Expression): boolean {
  const known = deterministic.get(node);
  if (known !== undefined) return known;
  const result = computeDeterministic(node);
  deterministic.set(node, result);
  return result;
}

function computeDeterministic(node: Expression): boolean {
  switch (node.kind) {
    case 'Identifier':
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null':
      return true;
    case 'Array':
      return node.elements.every(isDeterministic);
    case 'Object':
      return node.entries.every((e) => e.value === undefined || isDeterministic(e.value));
    case 'Binary':
      return isDeterministic(node.left) && isDeterministic(node.right);
    case 'Unary':
      return isDeterministic(node.operand);
    case 'Member':
      return isDeterministic(node.object);
    case 'Index':
      return isDeterministic(node.object) && isDeterministic(node.index);
    default:
      return false;
  }
}

/**
 * A condition: discretion goes to the oracle, the rest is evaluated. In `a or b` / `a and b` the
 * deterministic side is evaluated first and short-circuits, so the oracle is only asked when its
 * answer matters. `fallback` is what the default policy answers for the condition as a whole
 * (`if` false, `until` false, `while` true); `not` turns it around for its operand.
 */
export async function condition(it: Interpreter, node: Expression, frame: Frame, fallback: boolean, iteration = frame.iteration): Promise<boolean> {
  if (node.kind === 'Discretion') return askYesNo(it, node, frame, fallback, iteration);
  if (node.kind === 'Unary' && node.operator === 'not') return !(await condition(it, node.operand, frame, !fallback, iteration));
  if (node.kind === 'Binary' && (node.operator === 'and' || node.operator === 'or')) {
    const swap = !isDeterministic(node.left) && isDeterministic(node.right);
    const [first, second] = swap ? [node.right, node.left] : [node.left, node.right];
    const decided = await condition(it, first, frame, fallback, iteration);
    if (node.operator === 'or' ? decided : !decided) return decided;
    return condition(it, second, frame, fallback, iteration);
  }
  return isTruthy(await it.expression(node, frame));
}

/** `let x = **…**`: a discretion used as a value is a yes/no question (default: no). */
export function discretionValue(it: Interpreter, node: Discretion, frame: Frame): Promise<Value> {
  return askYesNo(it, node, frame, false, frame.iteration);
}

export function discretionText(node: Discretion, frame: Frame): string {
  return fill(node.text, node.interpolations, frame, node.span).trim();
}

async function askYesNo(it: Interpreter, node: Discretion, frame: Frame, fallback: boolean, iteration: number): Promise<boolean> {
  const text = discretionText(node, frame);
  const answer = await judge(it, frame, { kind: 'yes-no', site: keyOf(frame, node.span), iteration, text, bindings: frame.env.visible(), fallback });
  return typeof answer === 'boolean' ? answer : isTruthy(answer);
}

/** `choice **criteria**:` — the oracle picks one option label. */
export async function pickOption(it: Interpreter, criteria: Expression, labels: readonly string[], frame: Frame): Promise<string> {
  const text = criteria.kind === 'Discretion' ? discretionText(criteria, frame) : toText(await it.expression(criteria, frame));
  const answer = await judge(it, frame, { kind: 'pick', site: keyOf(frame, criteria.span), iteration: frame.iteration, text, bindings: frame.env.visible(), options: labels });
  return typeof answer === 'string' && labels.includes(answer) ? answer : (labels[0] ?? '');
}

/**
 * Asks the oracle once per site and iteration, and records the judgement; an answer recorded
 * by an earlier interpretation of the run is replayed instead, so control flow repeats exactly.
 */
async function judge(it: Interpreter, frame: Frame, question: Question): Promise<Answer> {
  const { journal, oracle } = it.rc.ports;
  const recorded = journal.recordedJudgement(question.site, question.iteration);
  if (recorded !== undefined) {
    it.rc.emit({ type: 'judgement', site: question.site, iteration: question.iteration, question: question.text, answer: recorded, replayed: true });
    return recorded;
  }
  beforeStep(it.rc, frame);
  const answer = await oracle.decide(question, frame.signal);
  journal.judgement({ site: question.site, iteration: question.iteration, question: question.text, answer });
  it.rc.emit({ type: 'judgement', site: question.site, iteration: question.iteration, question: question.text, answer, replayed: false });
  return answer;
}
