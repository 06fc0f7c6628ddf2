import { join } from 'node:path';

/**
 * Where tmux puts a server's socket (`tmux -L NAME`): `$TMUX_TMPDIR/tmux-UID/NAME`, and
 * `/tmp/tmux-UID/NAME` without it — tmux ignores TMPDIR (which macOS always sets). No file there,
 * no server: a command can tell that before it loads the tmux client at all.
 */
export function tmuxSocketPath(socket: string, env: NodeJS.ProcessEnv): string {
  return join(env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, socket);
}
