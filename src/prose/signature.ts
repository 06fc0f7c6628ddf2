import type { Program } from './ast.js';
import type { ProgramSignature } from './checker.js';

/**
 * What a caller of a program may pass and read: every `input` it declares, in source order and
 * wherever it is (a mid-program `input` is an input too), and the outputs it names at the top
 * level (`output x = …`, `output x: "…"`).
 */
export function programSignature(program: Program): ProgramSignature {
  const inputs: string[] = [];
  collectInputs(program.statements, inputs);
  const outputs: string[] = [];
  for (const statement of program.statements) {
    if (statement.kind === 'Output' && statement.name !== undefined) outputs.push(statement.name.name);
    else if (statement.kind === 'OutputDeclaration') outputs.push(statement.name.name);
  }
  return { inputs, outputs };
}

/** Inputs can sit in any block, so the walk goes through every node (spans and comments aside). */
function collectInputs(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectInputs(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.kind === 'Input') into.push((record.name as { name: string }).name);
  for (const [key, value] of Object.entries(record)) if (key !== 'span' && key !== 'comments' && value !== null && typeof value === 'object') collectInputs(value, into);
}
