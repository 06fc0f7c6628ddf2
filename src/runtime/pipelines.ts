import type { Block, Pipeline, PipelineStage, Statement } from '../prose/index.js';
import { condition } from './conditions.js';
import { Env } from './env.js';
import { BlockReturn, ProseError } from './errors.js';
import { child, keyOf, site, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import { DEFAULT_POLICY, join } from './join.js';
import { asList } from './loops.js';
import { branchFrame, iterationFrame, position } from './step-key.js';
import { isTruthy, type Value } from './values.js';

/** The body of one stage for one item: its value is an `output`, else its last statement's. */
async function stageValue(it: Interpreter, body: Block, frame: Frame, asCondition: boolean): Promise<Value> {
  const inner = child(frame, { inBlock: true });
  const statements = body.statements;
  try {
    for (let i = 0; i < statements.length - 1; i++) await it.statement(statements[i] as Statement, inner);
    const last = statements.at(-1);
    if (last === undefined) return null;
    // `filter: **is it relevant**` keeps an item when the oracle says so; by default it does.
    if (asCondition && last.kind === 'Discretion') return condition(it, last, inner, true);
    return await it.statement(last, inner);
  } catch (signal) {
    if (signal instanceof BlockReturn) return signal.value;
    throw signal;
  }
}

function itemFrame(frame: Frame, prefix: string, index: number, names: ReadonlyArray<readonly [string, Value]>, signal = frame.signal): Frame {
  const env = new Env(frame.env, 'block');
  for (const [name, value] of names) env.declare(name, value);
  return child(frame, { env, prefix: frame.prefix + prefix, signal, iteration: index });
}

async function runStage(it: Interpreter, stage: PipelineStage, list: readonly Value[], frame: Frame): Promise<Value> {
  const operator = stage.operator.name;
  const at = position(frame.unit.source, stage.span);
  const itemName = operator !== 'reduce' ? (stage.params[0]?.name ?? 'item') : undefined;
  switch (operator) {
    case 'map':
    case 'filter': {
      const out: Value[] = [];
      for (let i = 0; i < list.length; i++) {
        const item = list[i] ?? null;
        const value = await stageValue(it, stage.body, itemFrame(frame, iterationFrame(at, i), i, [[itemName ?? 'item', item]]), operator === 'filter');
        if (operator === 'map') out.push(value);
        else if (isTruthy(value)) out.push(item);
      }
      return out;
    }
    case 'pmap': {
      const run = (i: number, signal: AbortSignal) => stageValue(it, stage.body, itemFrame(frame, branchFrame(at, i), i, [[itemName ?? 'item', list[i] ?? null]], signal), false);
      const joined = await join(it.rc, frame, keyOf(frame, stage.span), list.length, run, DEFAULT_POLICY);
      return joined.outcomes.map((o) => (o?.ok === true ? o.value : null));
    }
    case 'reduce': {
      const [accName = 'acc', itemParam = 'item'] = stage.params.map((p) => p.name);
      if (list.length === 0) return null;
      let acc = list[0] ?? null;
      for (let i = 1; i < list.length; i++) {
        acc = await stageValue(it, stage.body, itemFrame(frame, iterationFrame(at, i), i, [[accName, acc], [itemParam, list[i] ?? null]]), false);
      }
      return acc;
    }
    default:
      throw new ProseError('type', `unknown pipeline step \`${operator}\`: use map, filter, reduce or pmap`, site(frame, stage.operator.span));
  }
}

/**
 * `XS | map: … | filter: … | reduce(acc, x): … | pmap: …`, with the implicit `item`. map, filter
 * and reduce go item by item in order; pmap runs the items in parallel (within the run's agent
 * limit) and keeps their order. reduce starts from the first item.
 */
export async function runPipeline(it: Interpreter, node: Pipeline, frame: Frame): Promise<Value> {
  let value: Value = await it.expression(node.source, frame);
  for (const stage of node.stages) {
    const list = asList(value, node.source, frame);
    value = await runStage(it, stage, list, frame);
  }
  return value;
}
