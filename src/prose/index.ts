/**
 * The `.prose` front end: lexer, parser, checker and printer. Pure — no I/O, no clock, no
 * process — so the CLI, the interpreter and tests share it.
 *
 *     const parsed = parseProgram(text, 'build.prose');
 *     const problems = [...parsed.diagnostics, ...checkProgram(parsed, { gates: ['unit'] })];
 */
import { checkProgram, type CheckOptions } from './checker.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { parseProgram, type ParseResult } from './parser.js';
import { printProgram } from './printer.js';

export type * from './ast.js';
export { CODES, severityOf, type Code, type Severity } from './codes.js';
export { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
export { formatDiagnostic, type Paint } from './format-diagnostic.js';
export { findInterpolations } from './interpolation.js';
export { BACKOFFS, type Backoff } from './check-properties.js';
export { checkProgram, type CheckOptions, type Parsed, type ProgramSignature } from './checker.js';
export { parseProgram, type ParseResult } from './parser.js';
export { printProgram } from './printer.js';
export { programSignature } from './signature.js';
export { Source, type Position } from './source.js';

export interface Checked extends ParseResult {
  /** Parse and check diagnostics together, in source order. */
  diagnostics: Diagnostic[];
}

/**
 * Parses and checks one program. The checker runs even when parsing found errors (on what could
 * be read), so one run reports as much as it can.
 */
export function checkSource(text: string, path?: string, options: CheckOptions = {}): Checked {
  const parsed = parseProgram(text, path);
  const checked = checkProgram(parsed, options);
  return { ...parsed, diagnostics: sortDiagnostics([...parsed.diagnostics, ...checked]) };
}

export interface Formatted {
  /** The canonical text, or undefined when the program has errors (formatting would lose text). */
  text: string | undefined;
  diagnostics: Diagnostic[];
}

/** Canonical formatting of a program that parses; a program with syntax errors is left alone. */
export function formatProgram(text: string, path?: string): Formatted {
  const parsed = parseProgram(text, path);
  if (hasErrors(parsed.diagnostics)) return { text: undefined, diagnostics: parsed.diagnostics };
  return { text: printProgram(parsed), diagnostics: parsed.diagnostics };
}
