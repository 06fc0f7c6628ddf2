import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';

/** A read error in words: `no such file`, `it is a directory`, else its code. */
export function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
}

export interface ProgramFile {
  /** As the user wrote it, for messages. */
  path: string;
  text: string;
}

/** Why a file's text is not a program at all (a binary file), or undefined. */
export function notProgramText(text: string): string | undefined {
  return text.includes('\0') ? 'it is a binary file (it contains NUL bytes), not a .prose program' : undefined;
}

/** Reads every file first: one that cannot be read makes the whole command unusable (exit 2). */
export function readPrograms(cwd: string, paths: readonly string[]): ProgramFile[] {
  if (paths.length === 0) throw new UsageError('No .prose files given.', { hint: 'Pass one or more files: prose check build.prose' });
  return paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, path), 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${path}: ${readProblem(error)}.`);
    }
    const problem = notProgramText(text);
    if (problem !== undefined) throw new UsageError(`Cannot read ${path}: ${problem}.`);
    return { path, text };
  });
}
