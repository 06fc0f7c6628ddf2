import { parseTestCounts, type TestCounts } from '../verify/summary.js';
import { stripAnsi } from '../util/ansi.js';
import { RunWrites } from './run-writes.js';

/**
 * How long after a run ends a change is still taken for that run's: file events arrive a little
 * after the write that caused them, and a run's last write lands just before it exits.
 */
const RUN_TAIL_MS = 1000;

export interface TestRunResult {
  exitCode: number | undefined;
  signal: string | undefined;
  output: string;
  durationMs: number;
  canceled: boolean;
}

export type WatchEvent =
  | { type: 'run-start'; changed: string[] }
  | { type: 'run-end'; passed: boolean; counts: TestCounts | undefined; result: TestRunResult }
  | { type: 'run-canceled'; changed: string[] }
  /** The runs themselves change these files: changes to them no longer start or stop a run. */
  | { type: 'run-writes'; paths: string[] };

export interface WatcherPorts {
  runTests(signal: AbortSignal): Promise<TestRunResult>;
  /** setTimeout, injected so tests drive time. Returns a cancel function. */
  schedule(callback: () => void, ms: number): () => void;
  /** Milliseconds on the clock `schedule` runs on. */
  now(): number;
  report(event: WatchEvent): void;
}

/**
 * Re-runs the tests when files change: changes are debounced, a change during a run cancels that
 * run (its result would be stale), and only one run is ever in flight. Files the runs write
 * themselves stop counting once recognised (see RunWrites).
 */
export class TestWatcher {
  private pending = new Set<string>();
  private cancelTimer: (() => void) | undefined;
  private inFlight: { controller: AbortController; done: Promise<void> } | undefined;
  private closed = false;
  private lastEnd: number | undefined;
  private readonly writes = new RunWrites();

  constructor(
    private readonly ports: WatcherPorts,
    private readonly debounceMs: number,
  ) {}

  /** Files changed: cancel a running test run and schedule a new one. */
  changed(paths: readonly string[]): void {
    if (this.closed) return;
    const fromRun = this.inFlight !== undefined || (this.lastEnd !== undefined && this.ports.now() - this.lastEnd < RUN_TAIL_MS);
    if (!fromRun) this.writes.whileIdle(paths);
    const { others, learned } = fromRun ? this.writes.duringRun(paths) : { others: paths, learned: [] };
    if (learned.length > 0) this.ports.report({ type: 'run-writes', paths: learned });
    if (others.length === 0) return;
    for (const p of others) this.pending.add(p);
    if (this.inFlight !== undefined && !this.inFlight.controller.signal.aborted) {
      this.inFlight.controller.abort();
      this.ports.report({ type: 'run-canceled', changed: [...others] });
    }
    this.cancelTimer?.();
    this.cancelTimer = this.ports.schedule(() => void this.runNow(), this.debounceMs);
  }

  /** Starts a run immediately (the watcher's first run, or after a debounce). */
  async runNow(): Promise<void> {
    this.cancelTimer = undefined;
    if (this.closed) return;
    if (this.inFlight !== undefined) await this.inFlight.done;
    if (this.inFlight !== undefined || this.closed) return;
    const changed = [...this.pending];
    this.pending.clear();
    const controller = new AbortController();
    this.writes.runStarted();
    const done = this.execute(changed, controller);
    this.inFlight = { controller, done };
    await done;
    this.inFlight = undefined;
    this.lastEnd = this.ports.now();
  }

  private async execute(changed: string[], controller: AbortController): Promise<void> {
    this.ports.report({ type: 'run-start', changed });
    const result = await this.ports.runTests(controller.signal);
    if (controller.signal.aborted || result.canceled) return;
    const counts = parseTestCounts(stripAnsi(result.output));
    this.ports.report({ type: 'run-end', passed: result.exitCode === 0 && result.signal === undefined, counts, result });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer?.();
    this.inFlight?.controller.abort();
    await this.inFlight?.done;
  }
}

/** `✓ 12 passed · 1.2s` / `✗ 2 failed, 10 passed · 1.4s` / `✗ exit 1 · 0.3s`. */
export function summaryLine(event: Extract<WatchEvent, { type: 'run-end' }>): string {
  const seconds = `${(event.result.durationMs / 1000).toFixed(1)}s`;
  const mark = event.passed ? '✓' : '✗';
  if (event.counts === undefined) {
    const how = event.result.signal !== undefined ? `killed by ${event.result.signal}` : `exit ${String(event.result.exitCode)}`;
    return `${mark} ${event.passed ? 'passed' : `failed (${how})`} · ${seconds}`;
  }
  const { passed, failed, skipped } = event.counts;
  const parts = [...(failed > 0 ? [`${failed} failed`] : []), `${passed} passed`, ...(skipped > 0 ? [`${skipped} skipped`] : [])];
  return `${mark} ${parts.join(', ')} · ${seconds}`;
}
