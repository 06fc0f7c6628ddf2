import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Redact } from '../runtime/redact.js';

/**
 * A log file written line by line with secrets redacted: whole lines are needed, since a chunk
 * of output may end in the middle of a secret.
 */
export class LineLog {
  /** Opened on the first output: a step that prints nothing leaves no empty file. */
  private stream: WriteStream | undefined;
  private partial = '';

  constructor(
    readonly path: string,
    private readonly secrets: Redact,
  ) {}

  /** Whether anything was written (the file exists). */
  get written(): boolean {
    return this.stream !== undefined;
  }

  private out(text: string): void {
    if (this.stream === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.stream = createWriteStream(this.path, { flags: 'a' });
    }
    this.stream.write(this.secrets.redact(text));
  }

  write(chunk: string): void {
    const text = this.partial + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.partial = text;
      return;
    }
    this.partial = text.slice(end + 1);
    this.out(text.slice(0, end + 1));
  }

  close(): Promise<void> {
    if (this.partial !== '') this.out(this.partial);
    this.partial = '';
    const stream = this.stream;
    return stream === undefined ? Promise.resolve() : new Promise((resolve) => stream.end(resolve));
  }
}

/** Calls `onLine` for every complete line of a stream of chunks. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }

  end(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }
}
