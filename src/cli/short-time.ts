/** `11-22 20:21:05` this year (UTC, as stored), `2025-11-22 20:21` before: short enough to never be cut. */
export function shortTime(iso: string, now: Date = new Date()): string {
  const stamp = iso.replace('T', ' ');
  return stamp.startsWith(`${now.getUTCFullYear()}-`) ? stamp.slice(5, 19) : stamp.slice(0, 16);
}
