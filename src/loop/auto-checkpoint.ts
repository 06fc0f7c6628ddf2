/**
 * Automatic checkpoints of an autonomous run: every `checkpoint_interval` without a checkpoint,
 * the work tree is snapshotted (unverified) while the agents work, so a long session's progress
 * is never more than one interval from being saved. Any checkpoint the program takes restarts
 * the interval. A checkpoint that fails (git busy, the disk full) is reported, not fatal.
 */
export class AutoCheckpoints {
  private last: number;
  private timer: NodeJS.Timeout | undefined;
  private taking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly take: () => Promise<void>,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.last = now();
  }

  start(): void {
    this.schedule();
  }

  /** A checkpoint was taken (by the program, or here): the interval starts again. */
  touched(): void {
    this.last = this.now();
  }

  /** Stops the timer and waits for a checkpoint in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.taking;
  }

  private schedule(): void {
    if (this.stopped) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.now());
    this.timer = setTimeout(() => void this.fire(), wait);
    this.timer.unref();
  }

  private async fire(): Promise<void> {
    if (this.now() - this.last >= this.intervalMs) {
      this.touched();
      this.taking = this.take().catch((error: unknown) => this.warn(`automatic checkpoint failed: ${error instanceof Error ? error.message : String(error)}`));
      await this.taking;
      this.taking = undefined;
    }
    this.schedule();
  }
}
