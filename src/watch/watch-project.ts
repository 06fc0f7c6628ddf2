import type { Output } from '../cli/output.js';
import { ProjectFiles } from './project-files.js';
import { runTestCommand } from './run-tests.js';
import { TestWatcher, summaryLine, type WatchEvent } from './test-watcher.js';

export interface WatchProjectOptions {
  root: string;
  command: string;
  debounceMs: number;
  /** Folder names or root-relative path prefixes never watched (in a git work tree, git's ignore rules apply too). */
  ignore: readonly string[];
  out: Output;
  signal: AbortSignal;
}

function describeChanged(changed: readonly string[]): string {
  if (changed.length === 0) return '';
  const shown = changed.slice(0, 3).join(', ');
  return ` (changed: ${shown}${changed.length > 3 ? `, +${changed.length - 3} more` : ''})`;
}

function reporter(out: Output, command: string): (event: WatchEvent) => void {
  const { style } = out;
  return (event) => {
    const time = new Date().toTimeString().slice(0, 8);
    switch (event.type) {
      case 'run-start':
        out.line(style.dim(`── ${time} · ${command}${describeChanged(event.changed)}`));
        break;
      case 'run-canceled':
        out.line(style.yellow(`── ${time} · files changed: stopping the current run${describeChanged(event.changed)}`));
        break;
      case 'run-end':
        out.line((event.passed ? style.green : style.red)(`${summaryLine(event)}  ${style.dim(time)}`));
        break;
      case 'run-writes':
        out.line(style.yellow(`── ${time} · the test run itself changes ${event.paths.join(', ')}: changes to it no longer start a run (list it in .gitignore or watch.ignore)`));
        break;
    }
  };
}

/** Events gathered this long go through git's ignore rules together. */
const BATCH_MS = 50;

const schedule = (callback: () => void, ms: number) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

/** `choiros watch`: runs the tests once, then again after every settled change. */
export async function watchProject(options: WatchProjectOptions): Promise<void> {
  const { root, out, signal } = options;
  const watcher = new TestWatcher(
    {
      runTests: (runSignal) => runTestCommand(options.command, root, runSignal, (chunk) => void out.stdout.write(chunk), out.color),
      schedule,
      now: () => performance.now(),
      report: reporter(out, options.command),
    },
    options.debounceMs,
  );
  // A test run that writes a git-ignored file (a junit report, a cache) must not restart itself.
  const files = await ProjectFiles.start({
    root,
    ignore: options.ignore,
    changed: (paths) => watcher.changed(paths),
    error: (error) => out.note(`watch error: ${error instanceof Error ? error.message : String(error)}`),
    schedule,
    batchMs: BATCH_MS,
  });
  out.line(out.style.dim(`Watching ${root} — ${options.command} runs on every change. Ctrl-C to stop.`));
  const first = watcher.runNow();
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await files.close();
  await watcher.close();
  await first;
}
