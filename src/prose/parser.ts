import type { Program } from './ast.js';
import { Cursor } from './cursor.js';
import { DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { Lexer } from './lexer.js';
import { parseProgramBody } from './parse-statements.js';
import { Source } from './source.js';

export interface ParseResult {
  program: Program;
  diagnostics: Diagnostic[];
  source: Source;
}

/**
 * Parses a program. Never throws for any input: every problem, however broken the text, is a
 * diagnostic, and the program holds every statement that could be read.
 */
export function parseProgram(text: string, path?: string): ParseResult {
  const source = new Source(text, path);
  const sink = new DiagnosticSink(source);
  const lexer = new Lexer(source.text, sink);
  const program = parseProgramBody(new Cursor(lexer, sink, source.text), lexer.comments);
  return { program, diagnostics: sink.finish(), source };
}
