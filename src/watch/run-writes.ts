/**
 * Tells a test run's own writes (a report, a snapshot, a cache the ignore rules miss) from a
 * person's edits, so that a run which writes a watched file does not restart itself forever.
 * Nothing says which process wrote a file; timing does: a path that changed during several runs
 * in a row and never while the tests were idle is taken for the runs' own output. A person's
 * edit while idle clears that verdict for good.
 */
export class RunWrites {
  private readonly seenIdle = new Set<string>();
  /** Per path: how many runs in a row, up to the last one, changed it. */
  private readonly streaks = new Map<string, number>();
  private touched = new Set<string>();
  private readonly own = new Set<string>();

  constructor(private readonly runsToLearn = 3) {}

  /** A run starts: what changed during the one before becomes history. */
  runStarted(): void {
    for (const path of this.streaks.keys()) if (!this.touched.has(path)) this.streaks.delete(path);
    for (const path of this.touched) this.streaks.set(path, (this.streaks.get(path) ?? 0) + 1);
    this.touched = new Set();
  }

  /**
   * Paths that changed while a run was in flight or had just ended. Returns the changes that are
   * not the run's own, and the paths recognised as its own just now.
   */
  duringRun(paths: readonly string[]): { others: string[]; learned: string[] } {
    const others: string[] = [];
    const learned: string[] = [];
    for (const path of paths) {
      this.touched.add(path);
      if (this.own.has(path)) continue;
      if (!this.seenIdle.has(path) && (this.streaks.get(path) ?? 0) + 1 >= this.runsToLearn) {
        this.own.add(path);
        learned.push(path);
      } else {
        others.push(path);
      }
    }
    return { others, learned };
  }

  /** Paths that changed while nothing ran: a person's edits, never a run's output. */
  whileIdle(paths: readonly string[]): void {
    for (const path of paths) {
      this.seenIdle.add(path);
      this.own.delete(path);
    }
  }
}
