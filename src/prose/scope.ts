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
  /** Created on the first binding: most scopes (a loop body, a branch) bind nothing. */
  private names: Map<string, Binding> | undefined;

  constructor(
    readonly parent: Scope | undefined,
    readonly kind: 'program' | 'block' | 'branch',
  ) {}

  lookup(name: string): Binding | undefined {
    return this.names?.get(name) ?? this.parent?.lookup(name);
  }

  has(name: string): boolean {
    return this.names?.has(name) === true;
  }

  /** Binds a name: a duplicate in this scope is E019, hiding an outer name warns (P102). */
  declare(sink: DiagnosticSink, binding: Binding, quiet = false): void {
    const { name, at } = binding;
    const here = this.names?.get(name);
    if (here !== undefined) {
      if (!quiet) sink.report('E019', at.span, `duplicate variable \`${name}\`: already bound on line ${lineOf(sink, here)}`);
      return;
    }
    const outer = this.parent?.lookup(name);
    if (outer !== undefined && !quiet) sink.report('P102', at.span, `\`${name}\` shadows the \`${name}\` bound on line ${lineOf(sink, outer)}`);
    (this.names ??= new Map()).set(name, binding);
  }

  /** At the end of a branch: what it bound becomes visible in the enclosing scope. */
  hoistInto(target: Scope): void {
    if (this.names === undefined) return;
    for (const binding of this.names.values()) {
      if (binding.hoists && !target.has(binding.name)) (target.names ??= new Map()).set(binding.name, binding);
    }
  }
}

function lineOf(sink: DiagnosticSink, binding: Binding): number {
  return sink.source.position(binding.at.span.start).line;
}
