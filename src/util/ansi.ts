/** Removes terminal escape sequences (for logs shown in files, JSON, or without color). */
export function stripAnsi(text: string): string {
  // CSI sequences, OSC sequences (ended by BEL or ST), and two-character escapes.
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, '');
}

/** Keeps colors (SGR) but removes cursor movement and other control sequences. */
export function keepColorsOnly(text: string): string {
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-ln-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, '');
}

/** Columns on screen (ASCII-width assumption; escape sequences take none). */
export function visibleWidth(text: string): number {
  return text.includes('\u001b') ? stripAnsi(text).length : text.length;
}
