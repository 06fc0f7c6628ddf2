import { AbortError } from '../errors.js';

/** What a failed write into the git dir means to a person (a full disk, a read-only mount). */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * A write of choiros' own bookkeeping (the work-tree lock, the private index) that the file
 * system refused, as an error the person can fix: it happens before anything is changed, and a
 * full disk is not a bug to report. Any other error is returned as it is.
 */
export function storageError(error: unknown, doing: string, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = code === undefined ? undefined : CAUSES[code];
  if (cause === undefined) return error;
  return new AbortError(`Cannot start ${doing}: writing ${path} failed: ${cause}.`, {
    hint: 'Nothing was changed. Free some disk space (or make the repository writable) and try again.',
    cause: error,
  });
}
