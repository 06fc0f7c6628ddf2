/** A half-open range of UTF-16 offsets into the source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** 1-based line and column, the way editors and `path:line:col` show them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * The text of one program and the offsets where its lines start, so that spans (cheap offsets,
 * carried by every token and node) become line and column only when someone asks.
 */
export class Source {
  readonly text: string;
  readonly path: string;
  private lineStarts: number[] | undefined;

  constructor(text: string, path = '<input>') {
    // A byte-order mark is an encoding detail, not a character of the program.
    this.text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.path = path;
  }

  position(offset: number): Position {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - (starts[low] ?? 0) + 1 };
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    const text = this.text.slice(start, end);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }

  get lineCount(): number {
    return this.starts().length;
  }

  private starts(): number[] {
    if (this.lineStarts !== undefined) return this.lineStarts;
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
    return starts;
  }
}
