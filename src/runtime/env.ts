import type { Value } from './values.js';

interface Binding {
  value: Value;
  constant: boolean;
}

/**
 * Runtime scopes, mirroring the checker's (src/prose/scope.ts): a `branch` scope (if/else,
 * try/catch, choice options) hands what it bound to the enclosing scope when the construct ends;
 * `block` scopes (loop bodies, blocks, phases, `do:`) keep theirs.
 */
export class Env {
  /** Created on the first binding: most scopes (a loop body, a branch) bind nothing. */
  private names: Map<string, Binding> | undefined;

  constructor(
    readonly parent: Env | undefined,
    readonly kind: 'program' | 'block' | 'branch',
  ) {}

  private find(name: string): Binding | undefined {
    return this.names?.get(name) ?? this.parent?.find(name);
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  get(name: string): Value | undefined {
    return this.find(name)?.value;
  }

  /** `let` / `const`, parameters, loop names: a new binding in this scope (a repeat in a loop body rebinds). */
  declare(name: string, value: Value, constant = false): void {
    (this.names ??= new Map()).set(name, { value, constant });
  }

  /** `x = …`: updates the nearest binding, or binds a new name here when there is none (as the checker allows). */
  assign(name: string, value: Value): void {
    const binding = this.find(name);
    if (binding === undefined) this.declare(name, value);
    else binding.value = value;
  }

  isConstant(name: string): boolean {
    return this.find(name)?.constant === true;
  }

  /** At the end of a branch: what it bound becomes visible in the enclosing scope. */
  hoistInto(target: Env): void {
    if (this.names === undefined) return;
    for (const [name, binding] of this.names) {
      if (target.names?.has(name) !== true) (target.names ??= new Map()).set(name, binding);
    }
  }

  /** Every visible name and its value, innermost first (for a judge's question). */
  visible(): Map<string, Value> {
    const out = this.parent?.visible() ?? new Map<string, Value>();
    for (const [name, binding] of this.names ?? []) out.set(name, binding.value);
    return out;
  }
}
