export interface ChangeBatchPorts {
  /** The paths worth acting on, of those that changed (git's ignore rules, say). */
  keep(paths: string[]): Promise<string[]>;
  deliver(paths: string[]): void;
  /** setTimeout, injected so tests drive time. Returns a cancel function. */
  schedule(callback: () => void, ms: number): () => void;
}

/**
 * Gathers file events for a short window, then filters the whole burst at once: one
 * `git check-ignore` per burst, never a process per event. Bursts are filtered one at a time, so
 * paths are delivered in the order they changed.
 */
export class ChangeBatch {
  private paths = new Set<string>();
  private cancelTimer: (() => void) | undefined;
  private filtering: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly ports: ChangeBatchPorts,
    private readonly windowMs: number,
  ) {}

  add(path: string): void {
    if (this.closed) return;
    this.paths.add(path);
    if (this.cancelTimer === undefined && this.filtering === undefined) this.cancelTimer = this.ports.schedule(() => void this.flush(), this.windowMs);
  }

  private async flush(): Promise<void> {
    this.cancelTimer = undefined;
    const batch = [...this.paths];
    this.paths.clear();
    this.filtering = this.ports.keep(batch).then(
      (kept) => {
        if (!this.closed && kept.length > 0) this.ports.deliver(kept);
      },
      () => {
        if (!this.closed) this.ports.deliver(batch);
      },
    );
    await this.filtering;
    this.filtering = undefined;
    if (this.paths.size > 0 && !this.closed) this.cancelTimer = this.ports.schedule(() => void this.flush(), 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer?.();
    await this.filtering;
  }
}
