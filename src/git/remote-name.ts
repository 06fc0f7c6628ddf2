/**
 * The name a repository goes by on its host — `owner/name` from the `origin` remote's URL — for
 * the play's "Repository:" line. Pure: only the URL's path is kept, so a user, password or token
 * in it is never shown.
 */

/**
 * `owner/name` (a GitLab group path keeps its subgroups: `group/sub/name`) from an https, ssh,
 * git or scp-like (`git@host:owner/name.git`) URL, without `.git`; null for a local path, a
 * `file://` URL, or one without an owner and a name.
 */
export function remoteRepositoryName(url: string): string | null {
  const text = url.trim();
  let path: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(text);
  if (scheme !== null) {
    if ((scheme[1] ?? '').toLowerCase() === 'file') return null;
    // After the authority (`user:token@host:port`), whatever it holds.
    const rest = scheme[2] ?? '';
    const slash = rest.indexOf('/');
    if (slash < 0) return null;
    path = rest.slice(slash + 1);
  } else {
    // scp-like: [user@]host:path, where the host has no slash before the colon (else it is a local path).
    const scp = /^(?:[^@/]+@)?[^/:]+:(?!\/\/)(.+)$/.exec(text);
    if (scp === null) return null;
    path = scp[1] ?? '';
  }
  const parts = path
    .replace(/[?#].*$/, '')
    .replace(/^~[^/]*\//, '')
    .split('/')
    .filter((p) => p !== '');
  const last = parts.at(-1)?.replace(/\.git$/, '');
  if (last === undefined || last === '' || parts.length < 2) return null;
  const name = [...parts.slice(0, -1), last].join('/');
  return name.includes('@') ? null : name;
}
