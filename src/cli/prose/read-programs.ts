import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';

export interface ProgramFile {
  /** As the user wrote it, for messages. */
  path: string;
  text: string;
}

/** Reads every file first: one that cannot be read makes the whole command unusable (exit 2). */
export function readPrograms(cwd: string, paths: readonly string[]): ProgramFile[] {
  if (paths.length === 0) throw new UsageError('No .prose files given.', { hint: 'Pass one or more files: prose check build.prose' });
  return paths.map((path) => {
    try {
      return { path, text: readFileSync(resolve(cwd, path), 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
      throw new UsageError(`Cannot read ${path}: ${why}.`);
    }
  });
}
