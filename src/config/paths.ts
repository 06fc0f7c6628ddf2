import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export const CONFIG_FILE = 'choiros.yaml';

/** `$CHOIROS_HOME`, else `$XDG_DATA_HOME/choiros`, else `~/.local/share/choiros`. */
export function choirosHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHOIROS_HOME) return resolve(env.CHOIROS_HOME);
  const data = env.XDG_DATA_HOME ? env.XDG_DATA_HOME : join(env.HOME ?? homedir(), '.local', 'share');
  return join(data, 'choiros');
}

/** Turns any folder name into a safe tmux session / socket name. */
export function sanitizeName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z]+/, '').replace(/-+$/, '');
  return cleaned === '' ? 'project' : cleaned;
}

export interface ProjectLocation {
  /** The folder holding choiros.yaml, else the git work tree, else the working directory. */
  root: string;
  /** The config file, when one exists. */
  configFile: string | undefined;
}

/** Finds the project from `--config` or by walking up from `cwd` (stopping at a git root). */
export function locateProject(cwd: string, configFlag: string | undefined): ProjectLocation {
  if (configFlag !== undefined) {
    const file = resolve(cwd, configFlag);
    return { root: dirname(file), configFile: file };
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return { root: dir, configFile: candidate };
    if (existsSync(join(dir, '.git'))) return { root: dir, configFile: undefined };
    const parent = dirname(dir);
    if (parent === dir) return { root: resolve(cwd), configFile: undefined };
    dir = parent;
  }
}

export function projectName(root: string): string {
  return sanitizeName(basename(root));
}

/** The private tmux server: `$CHOIROS_TMUX_SOCKET`, default `choiros-<project>`. */
export function socketName(project: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.CHOIROS_TMUX_SOCKET ? env.CHOIROS_TMUX_SOCKET : `choiros-${project}`;
}

export function sessionLogDir(home: string, session: string): string {
  return join(home, 'logs', session);
}

export function windowLogFile(home: string, session: string, window: string): string {
  return join(sessionLogDir(home, session), `${window}.log`);
}

/** Per-project state (ledger, lock): `.choiros/` at the project root. */
export function stateDir(root: string): string {
  return join(root, '.choiros');
}

/** The project's ledger (SQLite). */
export function ledgerFile(root: string): string {
  return join(stateDir(root), 'ledger.db');
}
