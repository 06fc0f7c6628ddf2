import { severityOf, type Code, type Severity } from './codes.js';
import type { Source, Span } from './source.js';

/** A problem found in a program: data, never an exception. */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  /** 1-based, where `span` starts. */
  line: number;
  column: number;
  /** A suggestion printed under the code frame (the indented form of a braced block, say). */
  hint?: string;
}

/** Past this many diagnostics in one file, more of them help nobody and cost memory. */
export const MAX_DIAGNOSTICS = 500;

/** Collects the diagnostics of one source, positioned as they are reported. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private dropped = 0;

  constructor(readonly source: Source) {}

  report(code: Code, span: Span, message: string, hint?: string): void {
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.dropped += 1;
      return;
    }
    const { line, column } = this.source.position(span.start);
    const diagnostic: Diagnostic = { code, severity: severityOf(code), message, span, line, column };
    if (hint !== undefined) diagnostic.hint = hint;
    this.items.push(diagnostic);
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }

  /** The diagnostics in source order, with a note when some were dropped. */
  finish(): Diagnostic[] {
    const sorted = sortDiagnostics(this.items);
    if (this.dropped > 0) {
      const end = this.source.text.length;
      const { line, column } = this.source.position(end);
      sorted.push({
        code: 'P113',
        severity: 'error',
        message: `too many problems: ${this.dropped} more were not reported`,
        span: { start: end, end },
        line,
        column,
      });
    }
    return sorted;
  }
}

export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  return [...items].sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
