import { sleep } from '../util/sleep.js';
import { fileSize, readRange } from './log-files.js';

export interface FollowedFile {
  name: string;
  path: string;
}

const MAX_READ = 256 * 1024;

/**
 * Follows log files by polling their sizes (fs.watch misses writes through tmux's pipe on some
 * filesystems, and polling survives rotation): new complete lines go to `onLines`; a file that
 * shrank was rotated and is read again from the start.
 */
export async function followFiles(
  files: readonly FollowedFile[],
  onLines: (name: string, lines: string[]) => void,
  signal: AbortSignal,
  pollMs = 200,
): Promise<void> {
  const offsets = new Map(files.map((f) => [f.path, fileSize(f.path)]));
  const partial = new Map<string, string>();
  while (!signal.aborted) {
    for (const file of files) {
      const size = fileSize(file.path);
      let offset = offsets.get(file.path) ?? 0;
      if (size < offset) offset = 0;
      if (size === offset) continue;
      const end = Math.min(size, offset + MAX_READ);
      const text = (partial.get(file.path) ?? '') + readRange(file.path, offset, end);
      offsets.set(file.path, end);
      const lines = text.split('\n');
      partial.set(file.path, lines.pop() ?? '');
      if (lines.length > 0) onLines(file.name, lines);
    }
    await sleep(pollMs, signal);
  }
}
