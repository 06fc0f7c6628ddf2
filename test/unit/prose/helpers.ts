import { checkSource, parseProgram, printProgram, type CheckOptions } from '../../../src/prose/index.js';

/** Every diagnostic of a program as `line:col severity CODE message`, the way tests compare them. */
export function problems(text: string, options: CheckOptions = {}): string[] {
  return checkSource(text, 'test.prose', options).diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
}

/** Joins lines into a program (tests read better without `\n` everywhere). */
export function program(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** The AST without positions: what must survive printing and parsing again. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'span' && key !== 'comments')
      .map(([key, child]) => [key, withoutSpans(child)]),
  );
}

/** The statements of a program that must parse without diagnostics, spans removed. */
export function statementsOf(text: string): unknown[] {
  const { program: parsed, diagnostics } = parseProgram(text);
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('; ')}`);
  return withoutSpans(parsed.statements) as unknown[];
}

/** Prints a program and parses the output again. */
export function reprint(text: string): { printed: string; again: string; same: boolean } {
  const first = parseProgram(text);
  const printed = printProgram(first);
  const second = parseProgram(printed);
  const again = printProgram(second);
  const same = JSON.stringify(withoutSpans(first.program)) === JSON.stringify(withoutSpans(second.program));
  return { printed, again, same };
}
