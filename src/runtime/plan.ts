/**
 * What a program will need before it runs, read from its syntax tree: the inputs it reads, the
 * agents its sessions use, the stages of its play. Pure; an over-approximation where control
 * flow decides (a branch that never runs still counts).
 */
import type { BlockDefinition, Input, Statement } from '../prose/index.js';
import { phaseExpect, phaseTimeoutMs } from '../prose/phase-properties.js';
import type { StageSpec } from '../ledger/model.js';
import type { ProgramUnit } from './program.js';

/** The stage of a program without phases, so that every task belongs to one. */
export const MAIN_STAGE = 'main';

type AnyNode = { kind?: string; span?: unknown } & Record<string, unknown>;

/** Visits every node under `root` (statements, expressions, properties), depth first. */
export function walk(root: unknown, visit: (node: AnyNode) => void): void {
  if (Array.isArray(root)) {
    for (const item of root) walk(item, visit);
    return;
  }
  if (root === null || typeof root !== 'object') return;
  const node = root as AnyNode;
  if (typeof node.kind === 'string') visit(node);
  for (const [key, value] of Object.entries(node)) if (key !== 'span' && key !== 'comments' && value !== null && typeof value === 'object') walk(value, visit);
}

/**
 * Like `walk`, but past nothing that runs only when a condition says so — an `if`'s branches
 * (their conditions are visited), a `choice`'s options, a `catch` — so what it visits runs
 * whenever the statements around it do. Loops count as running: a play's loop is its work.
 */
function walkSure(root: unknown, visit: (node: AnyNode) => void): void {
  if (Array.isArray(root)) {
    for (const item of root) walkSure(item, visit);
    return;
  }
  if (root === null || typeof root !== 'object') return;
  const node = root as AnyNode;
  if (typeof node.kind === 'string') visit(node);
  if (node.kind === 'If') return walkSure((node.branches as Array<{ condition: unknown }>).map((b) => b.condition), visit);
  if (node.kind === 'Choice') return walkSure(node.criteria, visit);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'span' || key === 'comments' || value === null || typeof value !== 'object') continue;
    if (node.kind === 'Try' && key === 'handler') continue;
    walkSure(value, visit);
  }
}

/** The top-level statements and phases a run (of one phase, or all) executes. */
export function runSet(unit: ProgramUnit, phase: string | undefined): Statement[] {
  if (phase === undefined) return unit.program.statements;
  return unit.program.statements.filter((s) => s.kind !== 'Phase' || s.name.name === phase);
}

/** Statements reached from `roots`, following `do name` and calls into block bodies (with `walkSure`, only the calls sure to run). */
function reached(unit: ProgramUnit, roots: readonly Statement[], walker: typeof walk = walk): unknown[] {
  const out: unknown[] = [...roots];
  const seen = new Set<BlockDefinition>();
  const follow = (node: unknown) =>
    walker(node, (n) => {
      const name = n.kind === 'DoCall' ? (n.name as { name: string }).name : n.kind === 'Call' ? (n.callee as { name: string }).name : undefined;
      const block = name === undefined ? undefined : unit.blocks.get(name);
      if (block !== undefined && !seen.has(block)) {
        seen.add(block);
        out.push(block.body);
        follow(block.body);
      }
    });
  follow(roots);
  return out;
}

/** Every `input` of the program, wherever it is declared. */
export function declaredInputs(unit: ProgramUnit): Input[] {
  const inputs: Input[] = [];
  walk(unit.program.statements, (n) => {
    if (n.kind === 'Input') inputs.push(n as unknown as Input);
  });
  return inputs;
}

function hasDefault(input: Input): boolean {
  return input.properties.some((p) => p.name.name === 'default');
}

/** Keys whose identifiers name something (a binding, an agent, a property) rather than read a variable. */
const NAMING_KEYS = new Set(['name', 'params', 'operator', 'alias', 'label', 'callee', 'property', 'item', 'target', 'agent', 'gates']);
const LOOPS = new Set(['For', 'ParallelFor', 'Repeat', 'Loop']);

/** Names read (variables, `{interpolations}`, object shorthands) by what a run executes. */
function namesRead(nodes: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown, parentKind: string | undefined): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, parentKind));
    if (value === null || typeof value !== 'object') return;
    const node = value as AnyNode;
    if (node.kind === 'Identifier') names.add(node.name as string);
    if (node.kind === 'String' || node.kind === 'Discretion') for (const i of node.interpolations as Array<{ path: string[] }>) names.add(i.path[0] ?? '');
    if (node.kind === 'Object') for (const e of node.entries as Array<{ key: string; value: unknown }>) if (e.value === undefined) names.add(e.key);
    const kind = typeof node.kind === 'string' ? node.kind : parentKind;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'span' || key === 'comments' || NAMING_KEYS.has(key) || (key === 'index' && LOOPS.has(kind ?? ''))) continue;
      visit(child, kind);
    }
  };
  visit(nodes, undefined);
  return names;
}

export interface InputNeeds {
  /** Top-level inputs, declared before anything runs, that the run reads and has no value for: asked on a terminal before it starts. */
  before: string[];
  /**
   * Inputs asked when the run reaches them: those declared inside phases or blocks, and top-level
   * ones declared after the first statement that runs something ("may also appear mid-program
   * (asks then)", PROSE.md) that the run reads.
   */
  later: string[];
}

/** Declarations run nothing: an `input` among them is a parameter of the whole program, asked before it starts. */
const DECLARATIONS = new Set(['Use', 'Import', 'Input', 'Agent', 'BlockDefinition', 'OutputDeclaration']);

/** The inputs a run needs and was not given, nor has a default for. */
export function missingInputs(unit: ProgramUnit, phase: string | undefined, given: ReadonlySet<string>): InputNeeds {
  const nodes = reached(unit, runSet(unit, phase));
  const read = namesRead(nodes);
  const statements = unit.program.statements;
  const firstRun = statements.findIndex((s) => !DECLARATIONS.has(s.kind));
  const topLevel = statements.filter((s): s is Input => s.kind === 'Input');
  const needed = (input: Input) => read.has(input.name.name) && !given.has(input.name.name) && !hasDefault(input);
  const early = (input: Input) => firstRun < 0 || statements.indexOf(input) < firstRun;
  const before = topLevel.filter((s) => early(s) && needed(s)).map((s) => s.name.name);
  const later = topLevel.filter((s) => !early(s) && needed(s)).map((s) => s.name.name);
  const topNames = new Set(topLevel.map((s) => s.name.name));
  walk(nodes, (n) => {
    const input = n as unknown as Input;
    if (n.kind === 'Input' && !topNames.has(input.name.name) && !given.has(input.name.name) && !hasDefault(input) && !later.includes(input.name.name)) later.push(input.name.name);
  });
  return { before, later };
}

/**
 * Agent names the sessions of `nodes` use (their own, `default`, and `fallback:` agents), in order
 * of first use; `sure`: only those that run whenever `nodes` do (no fallback, no conditional branch).
 */
function agentsIn(nodes: readonly unknown[], sure = false): string[] {
  const agents: string[] = [];
  const add = (name: string) => void (agents.includes(name) ? undefined : agents.push(name));
  (sure ? walkSure : walk)(nodes, (n) => {
    if (n.kind !== 'Session' && n.kind !== 'Resume') return;
    add((n.agent as { name: string } | undefined)?.name ?? 'default');
    if (sure) return;
    for (const p of n.properties as Array<{ name: { name: string }; value: AnyNode }>) {
      if (p.name.name !== 'fallback') continue;
      const values = p.value.kind === 'Array' ? (p.value.elements as AnyNode[]) : [p.value];
      for (const v of values) if (v.kind === 'Identifier' || v.kind === 'String') add(v.kind === 'Identifier' ? (v.name as string) : (v.value as string));
    }
  });
  return agents;
}

/** Every agent a run may start, in the program and the programs it uses. */
export function agentsUsed(unit: ProgramUnit, phase: string | undefined): string[] {
  const agents = agentsIn(reached(unit, runSet(unit, phase)));
  for (const used of unit.programs.values()) for (const a of agentsUsed(used, undefined)) if (!agents.includes(a)) agents.push(a);
  return agents;
}

/** Whether what a run executes (one phase, or all; called blocks and used programs included) verifies: then it needs gates. */
export function usesVerify(unit: ProgramUnit, phase: string | undefined): boolean {
  let found = false;
  walk(reached(unit, runSet(unit, phase)), (n) => {
    if (n.kind === 'Verify') found = true;
  });
  return found || [...unit.programs.values()].some((used) => usesVerify(used, undefined));
}

/** Whether anything in the program asks the oracle (discretion, `choice`). */
export function usesDiscretion(unit: ProgramUnit): boolean {
  let found = false;
  walk(unit.program.statements, (n) => {
    if (n.kind === 'Discretion' || n.kind === 'Choice') found = true;
  });
  return found || [...unit.programs.values()].some(usesDiscretion);
}

/** The play: the phases a run executes, in order, with the agents each uses, its `timeout:` and its `expect:` paths. */
export function stageSpecs(unit: ProgramUnit, phase: string | undefined): StageSpec[] {
  if (unit.phases.size === 0) return [{ name: MAIN_STAGE, ...withMayRun(agentsUsed(unit, undefined), unit, unit.program.statements), timeoutMs: null, expect: [] }];
  return [...unit.phases.values()]
    .filter((p) => phase === undefined || p.name.name === phase)
    .map((p) => ({ name: p.name.name, ...withMayRun(agentsIn(reached(unit, [p])), unit, [p]), timeoutMs: phaseTimeoutMs(p), expect: phaseExpect(p) }));
}

/**
 * A stage's agents, and those of them that only may run: reached only through an `if` or `choice`
 * branch, a `catch`, a `fallback:` or a program `use`d (a gate's Modify branch, a fallback that
 * takes over when the agent before it fails). One of those that never ran is no deviation.
 */
function withMayRun(agents: string[], unit: ProgramUnit, roots: readonly Statement[]): Pick<StageSpec, 'agents' | 'mayRun'> {
  const sure = agentsIn(reached(unit, roots, walkSure), true);
  const mayRun = agents.filter((a) => !sure.includes(a));
  return mayRun.length === 0 ? { agents } : { agents, mayRun };
}
