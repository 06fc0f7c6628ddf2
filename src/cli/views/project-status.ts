import { existsSync } from 'node:fs';
import type { Project } from '../../config/load.js';
import { ledgerFile } from '../../config/paths.js';
import type { GitSummary } from '../../git/summary.js';
import type { SessionStatus } from '../../tmux/status.js';

export interface RunSummary {
  id: string;
  status: string;
  program: string;
  startedAt: string;
}

/** `choiros status`: the session's windows plus the git branch, the last checkpoint and the current run. */
export interface ProjectStatus extends SessionStatus {
  git: GitSummary | null;
  run: RunSummary | null;
}

const ACTIVE = new Set(['running', 'paused', 'awaiting_approval']);

/** The run going on now, else the newest one; null without a ledger. */
async function currentRun(root: string): Promise<RunSummary | null> {
  const path = ledgerFile(root);
  if (!existsSync(path)) return null;
  const { Ledger } = await import('../../ledger/ledger.js');
  const ledger = Ledger.open(path, { readonly: true });
  try {
    const runs = ledger.pageRuns(20).items;
    const run = runs.find((r) => ACTIVE.has(r.status)) ?? runs[0];
    if (run === undefined) return null;
    // Read-only here: a run whose process died shows as interrupted without being rewritten.
    const { runnerAlive } = await import('../../loop/reconcile.js');
    const { runLockFile } = await import('../prose/run-lock.js');
    const status = run.status === 'running' && !runnerAlive(run, runLockFile(root)) ? 'interrupted' : run.status;
    return { id: run.id, status, program: run.program, startedAt: run.startedAt };
  } finally {
    ledger.close();
  }
}

/** One tmux query, one git call and one ledger read, side by side. */
export async function projectStatus(project: Project, env: NodeJS.ProcessEnv): Promise<ProjectStatus> {
  const session = import('../../tmux/status.js').then(({ sessionStatus }) => sessionStatus(project, env));
  const [windows, extra] = await Promise.all([session, projectExtras(project, env)]);
  return { ...windows, ...extra };
}

async function projectExtras(project: Project, env: NodeJS.ProcessEnv): Promise<Pick<ProjectStatus, 'git' | 'run'>> {
  const { gitSummary } = await import('../../git/summary.js');
  const [git, run] = await Promise.all([gitSummary(project.root, env), currentRun(project.root).catch(() => null)]);
  return { git: git ?? null, run };
}

/**
 * For `status --watch`: the windows on every refresh, the branch, checkpoint and run only every
 * `slowMs` — they change rarely, and a git process per second would cost an idle view its budget.
 */
export async function watchedProjectStatus(project: Project, env: NodeJS.ProcessEnv, slowMs: number, now: () => number = Date.now): Promise<{ load: () => Promise<ProjectStatus>; close: () => void }> {
  const [{ sessionStatus }, { TmuxClient }, { controlledPanes }, { supervisorSession }, { cachedLastLine }] = await Promise.all([
    import('../../tmux/status.js'),
    import('../../tmux/client.js'),
    import('../../tmux/control.js'),
    import('../../tmux/launch.js'),
    import('../../tmux/log-files.js'),
  ]);
  const readLastLine = cachedLastLine();
  // The panes come through one control client held open, not a tmux process a second.
  const source = controlledPanes(new TmuxClient(project.socket, env), supervisorSession(project.config.session));
  let extra: { at: number; value: Promise<Pick<ProjectStatus, 'git' | 'run'>> } | undefined;
  const load = async () => {
    if (extra === undefined || now() - extra.at >= slowMs) extra = { at: now(), value: projectExtras(project, env) };
    const [session, more] = await Promise.all([sessionStatus(project, env, source.panes, readLastLine), extra.value]);
    return { ...session, ...more };
  };
  return { load, close: source.close };
}
