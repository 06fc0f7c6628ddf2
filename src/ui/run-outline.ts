/**
 * The statement tree the run view draws, read from the program's syntax tree before it runs:
 * every statement that starts something (a session, an exec, a gate…) or holds one, nested the
 * way the program nests them. Pure. Definitions (agents, blocks, inputs) and plain bindings start
 * nothing and are left out.
 *
 * Each node knows the position its steps' keys carry (runtime/step-key.ts), so a running step
 * is found in the tree from its key alone: `14:1#2/15:5` is the node at 15:5 in iteration 2 of
 * the loop at 14:1.
 */
import type { Block, Expression, Program, Source, Span, Statement, Value } from '../prose/index.js';
import type { ProgramUnit } from '../runtime/program.js';
import { isDeclaration } from '../prose/declarations.js';
import { walk } from '../runtime/plan.js';
import { position } from '../runtime/step-key.js';

/**
 * How a node's steps run. `step`: one step (its key ends at the node); `call`: a block or program
 * called (steps under `at>name/`); `sequence`: children one after another, in the same scope;
 * `parallel`: children at once (branch `at&i/`); `loop`: the body again and again (`at#i/`);
 * `fanout`: the body once per item, at once (`at&i/`).
 */
export type NodeMode = 'step' | 'call' | 'sequence' | 'parallel' | 'loop' | 'fanout';

export interface OutlineNode {
  id: number;
  mode: NodeMode;
  /** The position its step keys carry (`line:col` of the session, the loop, the parallel…). */
  at: string;
  /** What the program says, on one line. */
  label: string;
  /** `x` of `let x = …`, `x = …`, `output x = …`: shown before a step's own label. */
  binding: string | undefined;
  /** A phase's name (its own start and finish events). */
  phase: string | undefined;
  /** `repeat 3` and `loop (max: 5)`: the number of iterations, when the program says it. */
  total: number | undefined;
  /** A parallel branch's index among the parallel's statements (keys number them in program order). */
  branch: number;
  children: OutlineNode[];
  parent: OutlineNode | undefined;
}

export interface Outline {
  roots: OutlineNode[];
  /** Nodes by the positions step keys carry. */
  byPosition: ReadonlyMap<string, OutlineNode>;
  size: number;
}

const STEPS = new Set(['Session', 'Resume', 'Exec', 'Verify', 'Checkpoint', 'Gate', 'Rollback']);

function oneLine(text: string, max = 160): string {
  return text.slice(0, max * 2).replace(/\s+/g, ' ').trim().slice(0, max);
}

class Builder {
  private nextId = 0;
  readonly byPosition = new Map<string, OutlineNode>();

  constructor(private readonly source: Source) {}

  private pos(span: Span): string {
    return position(this.source, span);
  }

  /** The first line of a node's source: `parallel ("all"):`, `loop until **done** (max: 3):`. */
  private firstLine(span: Span): string {
    const text = this.source.text.slice(span.start, span.end);
    const end = text.indexOf('\n');
    return oneLine(end < 0 ? text : text.slice(0, end));
  }

  private node(mode: NodeMode, span: Span, label: string, children: OutlineNode[] = [], extra: Partial<OutlineNode> = {}): OutlineNode {
    const node: OutlineNode = { id: this.nextId++, mode, at: this.pos(span), label, binding: undefined, phase: undefined, total: undefined, branch: 0, children, parent: undefined, ...extra };
    for (const child of children) child.parent = node;
    if (mode !== 'sequence') this.byPosition.set(node.at, node);
    return node;
  }

  block(block: Block): OutlineNode[] {
    return block.statements.flatMap((s) => this.statement(s) ?? []);
  }

  statement(statement: Statement): OutlineNode | undefined {
    if (isDeclaration(statement)) return undefined;
    switch (statement.kind) {
      case 'Phase':
        return this.node('sequence', statement.span, `phase ${statement.name.name}`, this.block(statement.body), { phase: statement.name.name });
      case 'Let':
      case 'Assign':
      case 'Output': {
        const node = this.value(statement.value);
        if (node === undefined) return undefined;
        const target = statement.kind === 'Output' ? statement.name : statement.target;
        node.binding = target === undefined ? undefined : target.kind === 'Identifier' ? target.name : target.names.map((n) => n.name).join(', ');
        node.label = node.mode === 'step' ? oneLine(this.source.text.slice(statement.span.start, statement.span.end)) : this.firstLine(statement.span);
        return node;
      }
      case 'Rollback':
        return this.node('step', statement.span, this.firstLine(statement.span));
      case 'Throw':
      case 'Assert':
        return this.contained(statement);
      default:
        return this.value(statement);
    }
  }

  /** A statement's value: a step, a call, or a construct with blocks inside. */
  private value(value: Value): OutlineNode | undefined {
    const label = this.firstLine(value.span);
    switch (value.kind) {
      case 'Session':
      case 'Resume':
      case 'Exec':
      case 'Verify':
      case 'Checkpoint':
      case 'Gate':
        return this.node('step', value.span, oneLine(this.source.text.slice(value.span.start, value.span.end)));
      case 'DoCall':
      case 'Call':
        return this.node('call', value.span, label);
      case 'DoBlock':
        return this.group(value.span, label, this.block(value.body));
      case 'Parallel': {
        const branches = value.body.statements.flatMap((s, branch) => {
          const node = this.statement(s);
          if (node !== undefined) node.branch = branch;
          return node ?? [];
        });
        return branches.length === 0 ? undefined : this.node('parallel', value.span, label, branches);
      }
      case 'ParallelFor':
        return this.iterating('fanout', value.span, label, value.body, undefined);
      case 'Repeat':
        return this.iterating('loop', value.span, label, value.body, literal(value.count));
      case 'For':
        return this.iterating('loop', value.span, label, value.body, undefined);
      case 'Loop':
        return this.iterating('loop', value.span, label, value.body, value.max === undefined ? undefined : literal(value.max));
      case 'If':
        return this.alternatives(value.span, label, [...value.branches.map((b) => ({ span: b.span, body: b.body })), ...(value.otherwise === undefined ? [] : [{ span: value.otherwise.span, body: value.otherwise, label: 'else:' }])]);
      case 'Choice':
        return this.alternatives(value.span, label, value.options.map((o) => ({ span: o.span, body: o.body })));
      case 'Try':
        return this.group(value.span, label, [
          ...this.block(value.body),
          ...this.optional(value.handler === undefined ? undefined : this.group(value.handler.span, this.firstLine(value.handler.span), this.block(value.handler.body))),
          ...this.optional(value.finalizer === undefined ? undefined : this.group(value.finalizer.span, 'finally:', this.block(value.finalizer))),
        ]);
      case 'Pipeline': {
        const stages = value.stages.map((stage) => this.iterating(stage.operator.name === 'pmap' ? 'fanout' : 'loop', stage.span, `| ${this.firstLine(stage.span)}`, stage.body, undefined));
        return this.group(value.span, label, [...this.optional(this.contained(value.source)), ...stages.flatMap((s) => s ?? [])]);
      }
      case 'Sequence':
        return this.group(value.span, label, value.steps.flatMap((s) => this.value(s) ?? []));
      default:
        return this.contained(value);
    }
  }

  private optional(node: OutlineNode | undefined): OutlineNode[] {
    return node === undefined ? [] : [node];
  }

  private group(span: Span, label: string, children: OutlineNode[]): OutlineNode | undefined {
    return children.length === 0 ? undefined : this.node('sequence', span, label, children);
  }

  private iterating(mode: 'loop' | 'fanout', span: Span, label: string, body: Block, total: number | undefined): OutlineNode | undefined {
    const children = this.block(body);
    return children.length === 0 ? undefined : this.node(mode, span, label, children, { total });
  }

  /** `if`/`elif`/`else` and `choice` options: one group per branch that starts something; a lone `if` branch is not a group of its own. */
  private alternatives(span: Span, label: string, branches: Array<{ span: Span; body: Block; label?: string }>): OutlineNode | undefined {
    const bodies = branches.map((b) => this.block(b.body));
    if (bodies.every((children, i) => i === 0 || children.length === 0)) return this.group(span, label, bodies[0] ?? []);
    return this.group(span, label, branches.flatMap((b, i) => this.group(b.span, b.label ?? this.firstLine(b.span), bodies[i] ?? []) ?? []));
  }

  /** Anything else that holds a step (`(exec "ls").stdout`, a call in an argument): one node for the statement. */
  private contained(node: Statement | Expression): OutlineNode | undefined {
    const inner: Array<{ kind: string; span: Span }> = [];
    walk(node, (n) => {
      if (typeof n.kind === 'string' && (STEPS.has(n.kind) || n.kind === 'Call' || n.kind === 'DoCall')) inner.push(n as unknown as { kind: string; span: Span });
    });
    if (inner.length === 0) return undefined;
    const label = this.firstLine(node.span);
    const only = inner.length === 1 ? inner[0] : undefined;
    if (only !== undefined) return this.node(STEPS.has(only.kind) ? 'step' : 'call', only.span, label);
    return this.node('sequence', node.span, label, inner.map((n) => this.node(STEPS.has(n.kind) ? 'step' : 'call', n.span, this.firstLine(n.span))));
  }

  finish(roots: OutlineNode[]): Outline {
    return { roots, byPosition: this.byPosition, size: this.nextId };
  }
}

function literal(node: Expression): number | undefined {
  return node.kind === 'Number' && Number.isInteger(node.value) ? node.value : undefined;
}

/** The outline of what a run executes: with `phase=NAME`, that phase (other top-level statements are skipped). */
export function outlineOf(unit: Pick<ProgramUnit, 'program' | 'source'>, phase?: string): Outline {
  const builder = new Builder(unit.source);
  const program: Program = unit.program;
  const statements = phase === undefined ? program.statements : program.statements.filter((s) => s.kind === 'Phase' && s.name.name === phase);
  return builder.finish(statements.flatMap((s) => builder.statement(s) ?? []));
}

export const EMPTY_OUTLINE: Outline = { roots: [], byPosition: new Map(), size: 0 };
