import { existsSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Project } from '../../config/load.js';
import { locateProject } from '../../config/paths.js';
import { ConfigError, UsageError } from '../../errors.js';
import type { HealthReport } from '../../health/score.js';
import type { CommandContext } from '../command.js';
import { ledgerPath } from './ledger-access.js';

/** The project as the command sees it: its config when valid, else why not (the score counts it). */
export interface ProjectState {
  root: string;
  configFile: string | undefined;
  project: Project | undefined;
  configProblem: string | undefined;
  /** The ledger's own check (the same for every tree: the ledger is not part of a checkpoint). */
  ledgerProblem: string | undefined | null;
}

function problemOf(error: unknown): string {
  if (error instanceof ConfigError) return error.issues[0]?.message ?? error.message;
  if (error instanceof UsageError) return error.message;
  throw error;
}

export async function projectState(ctx: CommandContext, configFlag: string | undefined): Promise<ProjectState> {
  const { root, configFile } = locateProject(ctx.cwd, configFlag);
  let project: Project | undefined;
  let configProblem: string | undefined;
  try {
    project = await ctx.project();
  } catch (error) {
    configProblem = problemOf(error);
  }
  let ledgerProblem: string | undefined | null = null;
  if (existsSync(ledgerPath(root))) {
    const [{ Ledger }, { ledgerProblem: check }] = await Promise.all([import('../../ledger/ledger.js'), import('../../health/record.js')]);
    try {
      const opened = Ledger.open(ledgerPath(root), { readonly: true });
      ledgerProblem = check(opened);
      opened.close();
    } catch (error) {
      ledgerProblem = error instanceof Error ? error.message : String(error);
    }
  }
  return { root, configFile, project, configProblem, ledgerProblem };
}

/** The work tree's score. */
export async function scoreWorkTree(state: ProjectState): Promise<HealthReport> {
  const [{ trackedFiles }, { scoreTree }] = await Promise.all([import('../../health/git.js'), import('../../health/evaluate.js')]);
  return scoreTree({ root: state.root, configFile: state.configFile, configProblem: state.configProblem, tracked: await trackedFiles(state.root), ledgerProblem: state.ledgerProblem });
}

/** A checkpoint's tree, as `git` names it. */
export interface TreeRef {
  name: string;
  tree: string;
  /** The commit HEAD was on when it was taken: what git tracked then. */
  parent: string | undefined;
}

/**
 * Scores checkpoints by their own trees: each is exported to a temporary folder (the project's
 * folder within the repository) and scored there — its files, its choiros.yaml, its programs —
 * then removed. The work tree is not touched.
 */
export async function checkpointScorer(state: ProjectState, ctx: CommandContext): Promise<(checkpoint: TreeRef) => Promise<HealthReport>> {
  const [{ openRepo }, { exportTree }, { scoreTree }, { loadProject }] = await Promise.all([
    import('../../git/repo.js'),
    import('../../health/checkpoint-tree.js'),
    import('../../health/evaluate.js'),
    import('../../config/load.js'),
  ]);
  const repo = await openRepo(state.root, ctx.env);
  const prefix = relative(realpathSync(repo.root), realpathSync(state.root)).split('\\').join('/');
  // The config file where the checkpoint would hold it: missing there, it counts as missing.
  const configAt = state.configFile === undefined ? undefined : relative(state.root, state.configFile);
  return async (checkpoint) => {
    const exported = await exportTree(repo.root, checkpoint, prefix, ctx.env);
    try {
      const configFile = configAt === undefined ? undefined : join(exported.root, configAt);
      let configProblem: string | undefined;
      if (configFile !== undefined && !existsSync(configFile)) configProblem = `${configAt ?? ''} is missing`;
      else if (configFile !== undefined) {
        try {
          await loadProject({ cwd: exported.root, configFlag: configFile, env: ctx.env });
        } catch (error) {
          configProblem = problemOf(error);
        }
      }
      return scoreTree({ root: exported.root, configFile, configProblem, tracked: exported.tracked, ledgerProblem: state.ledgerProblem });
    } finally {
      exported.remove();
    }
  };
}
