import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AbortError } from '../errors.js';

/** `$CHOIROS_HOME/serve/token`: outside every work tree, so it cannot be committed or shipped with a project. */
export function tokenFile(home: string): string {
  return join(home, 'serve', 'token');
}

export interface LoadedToken {
  token: string;
  path: string;
  /** True when this call generated it. */
  created: boolean;
}

/**
 * The API token: read from `path`, or generated (256 random bits) and written there with 0600
 * permissions on first start. Like ssh with a private key, a file that others may read is
 * refused rather than used: the token may already have leaked.
 */
export function loadOrCreateToken(path: string): LoadedToken {
  if (existsSync(path)) {
    const stat = statSync(path);
    if ((stat.mode & 0o077) !== 0) {
      throw new AbortError(`The token file ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}).`, {
        hint: `Run \`chmod 600 ${path}\`, or delete it to have a new token generated.`,
      });
    }
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new AbortError(`The token file ${path} belongs to another user.`);
    const token = readFileSync(path, 'utf8').trim();
    if (token.length < 32) throw new AbortError(`The token file ${path} holds no usable token.`, { hint: 'Delete it to have a new token generated.' });
    return { token, path, created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  // O_EXCL with the mode set at creation: never a moment where the file exists with wider permissions.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o600);
  return { token, path, created: true };
}
