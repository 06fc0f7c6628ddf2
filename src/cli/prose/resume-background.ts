import { join } from 'node:path';
import { startDetached } from '../../process/detached.js';

export interface BackgroundResumeOptions {
  /** The node binary and `prose` script of this installation. */
  node: string;
  prose: string;
  /** The project the run belongs to: prose resume finds its ledger, config and program there. */
  root: string;
  /** The environment `prose resume` gets: the one a person typing it in the server's terminal would have. */
  env: NodeJS.ProcessEnv;
  /** The run's log folder (`$CHOIROS_HOME/logs/<session>/runs/<run>/`), where the resume's output goes. */
  logDir: (runId: string) => string;
  now?: () => Date;
}

export interface Continued {
  pid: number;
  log: string;
}

/**
 * Continues a run that stopped for a human (a gate answered since, a pause lifted) when the
 * human answered from the web dashboard rather than a terminal: `prose resume RUN --no-input`,
 * detached, in the run's project, its output in the run's log folder. `--no-input` because no one
 * is at its terminal: a program changed since the run started is refused, not asked about.
 */
export function backgroundResume(options: BackgroundResumeOptions): (runId: string) => Continued {
  return (runId) => {
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const log = join(options.logDir(runId), `resume-${stamp}.log`);
    const { pid } = startDetached(options.node, [options.prose, 'resume', runId, '--no-input'], { cwd: options.root, env: options.env, logFile: log });
    return { pid, log };
  };
}
