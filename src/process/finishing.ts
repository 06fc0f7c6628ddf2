/**
 * Work that must not be cut short once it has started — a rollback moving the work tree: killed
 * halfway, node would leave the files stored without line-ending conversion unrestored, the empty
 * folders unmade and the work-tree lock held, while git (in a process group of its own) goes on.
 * The process entry (cli/runner.ts) asks `finishing()` before it exits on a second Ctrl-C or at
 * the SIGTERM deadline, and waits while the answer is yes. Only the moving itself is covered:
 * before and after it, those signals end the process as they end any other command.
 */
let depth = 0;

/** Runs `fn`, during which the process does not exit on a second Ctrl-C or a SIGTERM deadline. */
export async function uninterruptible<T>(fn: () => Promise<T>): Promise<T> {
  depth += 1;
  try {
    return await fn();
  } finally {
    depth -= 1;
  }
}

/** True while some `uninterruptible` work runs. */
export function finishing(): boolean {
  return depth > 0;
}
