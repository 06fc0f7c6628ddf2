import type { StepRecord } from './ports.js';

/** Reads how busy a step's processes are; the CLI reads /proc and git, tests pass numbers. */
export interface Sampler {
  /** CPU time (user + system, ms) of the process tree rooted at `pid`, so far. */
  cpuMs(pid: number): number;
  /** Files changed in the work tree, when that is cheap to know; 0 otherwise. */
  fileChanges(): Promise<number>;
}

const MAX_LINE = 2000;
const FLUSH_LINES = 50;
const FLUSH_MS = 250;

/**
 * Watches one running step: batches its output into lines for `agent.output` events (a batch per
 * 50 lines or 250 ms, never one event per line) and records an activity sample every interval —
 * output bytes, CPU time of the process tree, changed files — so a stuck agent (no output, no
 * CPU, no file changes) can be told from a busy one.
 */
export class StepWatch {
  private bytes = 0;
  private pid: number | undefined;
  /** The tree's CPU time only grows; once its processes are gone, the last reading stands. */
  private cpu = 0;
  private samples = 0;
  private partial = '';
  private lines: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly sampleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly record: StepRecord,
    private readonly onLines: (lines: string[]) => void,
    private readonly sampler: Sampler | undefined,
    intervalMs: number,
  ) {
    if (sampler !== undefined && intervalMs > 0) {
      this.sampleTimer = setInterval(() => void this.sample(), intervalMs);
      this.sampleTimer.unref();
    }
  }

  spawned(pid: number): void {
    this.pid = pid;
  }

  output(chunk: string): void {
    this.bytes += Buffer.byteLength(chunk);
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line.replace(/\r$/, ''));
    if (this.lines.length >= FLUSH_LINES) this.flush();
    else if (this.lines.length > 0 && this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /** Ends the watch: the last partial line and pending lines are flushed; a step long enough to be sampled gets a final sample. */
  async stop(): Promise<void> {
    clearInterval(this.sampleTimer);
    if (this.partial !== '') {
      this.lines.push(this.partial);
      this.partial = '';
    }
    this.flush();
    if (this.samples > 0) await this.sample();
  }

  get outputBytes(): number {
    return this.bytes;
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.record.output(lines);
    this.onLines(lines);
  }

  private async sample(): Promise<void> {
    if (this.sampler === undefined) return;
    this.samples += 1;
    if (this.pid !== undefined) this.cpu = Math.max(this.cpu, this.sampler.cpuMs(this.pid));
    const cpuMs = this.cpu;
    const fileChanges = await this.sampler.fileChanges().catch(() => 0);
    this.record.activity({ outputBytes: this.bytes, cpuMs, fileChanges });
  }
}
