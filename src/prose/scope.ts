import type { Identifier } from './ast.js';
import type { DiagnosticSink } from './diagnostics.js';

export interface Binding {
  name: string;
  constant: boolean;
  /** The span where it was bound, for "already bound on line N". */
  at: Identifier;
  /** Bindings made inside an `if`/`try`/`choice` branch are visible after it; loop and catch names are not. */
  hoists: boolean;
  /** When bound to a call of an imported program whose outputs are known. */
  outputs?: readonly string[];
}

/**
 * A lexical scope. `branch` scopes (if/else, try/catch, choice options) hand their bindings to
 * the enclosing scope when the construct ends; `block` scopes (loops, blocks, phases, `do:`) keep
 * them.
 */
export class Scope {
  /**
   * What this scope binds, in order; created on the first binding (most scopes bind nothing).
   * A list rather than a Map: a loop body or a pipeline step binds one or two names, and a Map
   * for each of them was the largest part of the checker's garbage.
   */
  private bindings: Binding[] | undefined;
  /** Past LIST_LIMIT bindings a Map as well, so a top level with thousands of names stays linear. */
  private index: Map<string, Binding> | undefined;

  constructor(
    readonly parent: Scope | undefined,
    readonly kind: 'program' | 'block' | 'branch',
  ) {}

  lookup(name: string): Binding | undefined {
    return this.own(name) ?? this.parent?.lookup(name);
  }

  has(name: string): boolean {
    return this.own(name) !== undefined;
  }

  /** Binds a name: a duplicate in this scope is E019, hiding an outer name warns (P102). */
  declare(sink: DiagnosticSink, binding: Binding, quiet = false): void {
    const { name, at } = binding;
    const here = this.own(name);
    if (here !== undefined) {
      if (!quiet) sink.report('E019', at.span, `duplicate variable \`${name}\`: already bound on line ${lineOf(sink, here)}`);
      return;
    }
    const outer = this.parent?.lookup(name);
    if (outer !== undefined && !quiet) sink.report('P102', at.span, `\`${name}\` shadows the \`${name}\` bound on line ${lineOf(sink, outer)}`);
    this.add(binding);
  }

  /** At the end of a branch: what it bound becomes visible in the enclosing scope. */
  hoistInto(target: Scope): void {
    if (this.bindings === undefined) return;
    for (const binding of this.bindings) {
      if (binding.hoists && !target.has(binding.name)) target.add(binding);
    }
  }

  private own(name: string): Binding | undefined {
    if (this.index !== undefined) return this.index.get(name);
    if (this.bindings === undefined) return undefined;
    for (const binding of this.bindings) if (binding.name === name) return binding;
    return undefined;
  }

  /** Adds a name this scope does not bind yet. */
  private add(binding: Binding): void {
    if (this.bindings === undefined) {
      this.bindings = [binding];
      return;
    }
    this.bindings.push(binding);
    if (this.index !== undefined) this.index.set(binding.name, binding);
    else if (this.bindings.length > LIST_LIMIT) this.index = new Map(this.bindings.map((b) => [b.name, b]));
  }
}

const LIST_LIMIT = 16;

function lineOf(sink: DiagnosticSink, binding: Binding): number {
  return sink.source.position(binding.at.span.start).line;
}
