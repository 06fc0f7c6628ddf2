/** A path as a line of a terminal can hold it: quoted when it has control characters. */
export function displayPath(path: string): string {
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}

/** Up to `limit` paths for a line of text, each as `displayPath` shows it. */
export function pathList(paths: readonly string[], limit = 10): string {
  return paths.slice(0, limit).map(displayPath).join(', ') + (paths.length > limit ? `, … (${paths.length} in all)` : '');
}
