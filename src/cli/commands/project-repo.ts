import type { Project } from '../../config/load.js';
import { locateProject } from '../../config/paths.js';
import { openRepo, type Repo } from '../../git/repo.js';
import type { CommandContext } from '../command.js';

/**
 * The project and its git repository, for the checkpoint commands. git looks for the
 * repository while the config and the git modules load — its root comes from the same search
 * the config's does — so the first git call, and the first process node spawns (which costs it
 * several milliseconds more than the next), are off the path of every checkpoint and rollback.
 * (The repository module is imported with the command's for that reason: small, it starts git
 * before the rest of the library is read.)
 * A config error still wins over a repository error: it is the one the user must fix first.
 */
export async function openProjectRepo(ctx: CommandContext, configFlag: unknown): Promise<{ project: Project; repo: Repo }> {
  const root = locateProject(ctx.cwd, typeof configFlag === 'string' ? configFlag : undefined).root;
  const opening = openRepo(root, ctx.env);
  // Awaited below, after the config: a failure must not count as unhandled meanwhile.
  opening.catch(() => undefined);
  const project = await ctx.project();
  // A context whose project lives elsewhere (tests build their own) gets its own repository.
  const repo = project.root === root ? await opening : await openRepo(project.root, ctx.env);
  return { project, repo };
}
