import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseEnvFile } from '../config/env-file.js';
import type { Project } from '../config/load.js';
import { windowLogFile } from '../config/paths.js';
import { AbortError, ConfigError, type ConfigIssue } from '../errors.js';
import type { PaneInfo } from './format.js';
import type { LaunchContext } from './launch.js';

export interface Self {
  node: string;
  script: string;
}

/** Why a window's `cwd` cannot be its working directory, or undefined when it can. */
function cwdProblem(path: string): string | undefined {
  try {
    return statSync(path).isDirectory() ? undefined : `${path} is not a folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no folder ${path}` : `cannot read ${path} (${code ?? String(error)})`;
  }
}

/**
 * Reads each window's env_file and merges its `env` over it. A missing env_file, or a `cwd` that
 * is not a folder, is a config error: tmux would start the window in the project root instead.
 */
export function readWindowEnv(project: Project): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const issues: ConfigIssue[] = [];
  project.config.windows.forEach((window, i) => {
    if (window.cwd !== undefined) {
      const problem = cwdProblem(isAbsolute(window.cwd) ? window.cwd : join(project.root, window.cwd));
      if (problem !== undefined) issues.push({ path: `windows[${i}].cwd`, message: problem });
    }
    let fromFile: Record<string, string> = {};
    if (window.env_file !== undefined) {
      const path = isAbsolute(window.env_file) ? window.env_file : join(project.root, window.env_file);
      try {
        const parsed = parseEnvFile(readFileSync(path, 'utf8'));
        fromFile = parsed.values;
        for (const line of parsed.badLines) issues.push({ path: `windows[${i}].env_file`, message: `${path}:${line}: expected KEY=value` });
      } catch (error) {
        issues.push({ path: `windows[${i}].env_file`, message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
      }
    }
    out.set(window.name, { ...fromFile, ...window.env });
  });
  if (issues.length > 0) throw new ConfigError(project.file, issues);
  return out;
}

export function launchContext(project: Project, self: Self, env: NodeJS.ProcessEnv): LaunchContext {
  const session = project.config.session;
  return {
    root: project.root,
    session,
    socket: project.socket,
    home: project.home,
    configFile: project.file,
    self,
    shell: env.SHELL || '/bin/sh',
    windowEnv: readWindowEnv(project),
    logFile: (window) => windowLogFile(project.home, session, window),
  };
}

/** The supervisor runs this choiros in its own tmux session, against the same config. */
export function supervisorArgv(project: Project, self: Self): string[] {
  return [self.node, self.script, 'supervise', ...(project.file === undefined ? [] : ['--config', project.file])];
}

/** Changes when anything the supervisor acts on changes, so `start` can restart it. */
export function configSpec(project: Project, self: Self): string {
  return createHash('sha1').update(JSON.stringify([project.config, self])).digest('hex').slice(0, 12);
}

/** A session name is per server; refuse to adopt a session some other folder started. */
export function ensureOwnSession(project: Project, panes: readonly PaneInfo[]): void {
  const foreign = panes.find((p) => p.sessionName === project.config.session && p.sessionRoot !== '' && p.sessionRoot !== project.root);
  if (foreign !== undefined) {
    throw new AbortError(`The tmux session '${project.config.session}' on socket '${project.socket}' belongs to ${foreign.sessionRoot}, not ${project.root}.`, {
      hint: 'Give this project its own session name (`session:` in choiros.yaml) or socket (CHOIROS_TMUX_SOCKET).',
    });
  }
}
