import { existsSync } from 'node:fs';
import type { Project } from '../../config/load.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { RollbackPreview, RollbackResult } from '../../git/rollback.js';
import { tmuxSocketPath } from '../../tmux/socket-path.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { printWrapped, wrap } from '../../util/wrap.js';
import type * as View from './checkpoint-view.js';
import { openProjectRepo } from './project-repo.js';

/** Windows restarted after a rollback: `restart_on_rollback`, which defaults to true for api and ui. */
export function windowsToRestart(project: Pick<Project, 'config'>): string[] {
  return project.config.windows.filter((w) => w.restart_on_rollback ?? (w.name === 'api' || w.name === 'ui')).map((w) => w.name);
}

export interface RestartOutcome {
  restarted: string[];
  failed: Array<{ window: string; error: string }>;
  /** False when no session was running: nothing to restart. */
  running: boolean;
}

/**
 * Restarts the session's `restart_on_rollback` windows so servers pick up the restored files.
 * Only windows that exist in a running session are touched; with no session this does nothing.
 */
export async function restartAfterRollback(project: Project, ctx: Pick<CommandContext, 'env' | 'self'>): Promise<RestartOutcome> {
  const wanted = windowsToRestart(project);
  // No socket, no session (what TmuxClient.panes() would find, without loading tmux's modules).
  if (wanted.length === 0 || !existsSync(tmuxSocketPath(project.socket, ctx.env))) return { restarted: [], failed: [], running: false };
  const [{ TmuxClient }, { restartWindow }] = await Promise.all([import('../../tmux/client.js'), import('../../tmux/session.js')]);
  let panes;
  try {
    panes = await new TmuxClient(project.socket, ctx.env).panes();
  } catch {
    // No usable tmux means no session to restart; the rollback itself is done.
    return { restarted: [], failed: [], running: false };
  }
  const live = new Set(panes.filter((p) => p.sessionName === project.config.session).map((p) => p.tag));
  if (live.size === 0) return { restarted: [], failed: [], running: false };
  const names = wanted.filter((name) => live.has(name));
  const graceMs = project.config.stop_grace ?? 5000;
  const results = await Promise.allSettled(names.map((name) => restartWindow(project, name, { self: ctx.self, env: ctx.env, graceMs })));
  const outcome: RestartOutcome = { restarted: [], failed: [], running: true };
  results.forEach((result, i) => {
    const window = names[i] ?? '';
    if (result.status === 'fulfilled') outcome.restarted.push(window);
    else outcome.failed.push({ window, error: result.reason instanceof Error ? result.reason.message : String(result.reason) });
  });
  return outcome;
}

/** A yes/no question on the terminal; anything but yes (Ctrl-C, a closed stdin) is a no. */
export async function ask(question: string, ctx: CommandContext): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: ctx.stdin, output: ctx.out.stderr });
  try {
    const answer = await rl.question(question, { signal: ctx.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    // Ctrl-C or a closed stdin: that is a no.
    return false;
  } finally {
    rl.close();
  }
}

export const rollback: CommandSpec = {
  name: 'rollback',
  describe: 'restore the work tree to a checkpoint (default: the newest good one, else the newest); undoable',
  positionals: [{ name: 'name', describe: 'a checkpoint, an undo handle (pre-rollback/N) or any commit' }],
  options: {
    'dry-run': { type: 'boolean', describe: 'show what would change and be deleted; change nothing' },
    yes: { type: 'boolean', alias: 'y', describe: 'do not ask for confirmation (required without a terminal)' },
    undo: { type: 'boolean', describe: 'return to the state before the last rollback (again: redo)' },
    restart: { type: 'boolean', default: true, describe: 'restart windows with restart_on_rollback afterwards (--no-restart to skip)' },
    json: { type: 'boolean', describe: 'print the preview and the result as JSON' },
  },
  finishesWhatItStarts: true,
  examples: [
    ['choiros rollback --dry-run', 'what a rollback to the newest good checkpoint would change'],
    ['choiros rollback checkpoint-20260130-120000 --yes', 'roll back without asking'],
    ['choiros rollback --undo --yes', 'return to the state before that rollback'],
  ],
  async run(args, ctx) {
    if (args.undo === true && typeof args.name === 'string') throw new UsageError('--undo takes no checkpoint name: it returns to the state before the last rollback.');
    // The git modules load while the config is read and git finds the repository.
    const [{ project, repo }, git, view] = await Promise.all([openProjectRepo(ctx, args.config), import('../../git/rollback.js'), import('./checkpoint-view.js')]);
    const settings = view.settingsOf(project.config);
    const { out } = ctx;
    const json = args.json === true;
    const dryRun = args.dryRun === true;

    const onPreview = (preview: RollbackPreview): void => {
      if (!json) view.printPreview(preview, settings.policy, out);
    };
    // Asked only when someone must answer: after a wait, the work tree is checked again.
    const confirm = async (preview: RollbackPreview): Promise<boolean> => {
      if (ctx.stdin.isTTY !== true) {
        if (json) out.json({ ...view.previewJson(preview), applied: false, dryRun: false, undo: null });
        throw new UsageError('Refusing to roll back without --yes: there is no terminal to ask for confirmation.', {
          hint: 'Nothing was changed. Check the preview above, then run the same command with --yes.',
        });
      }
      const files = preview.changes.length === 1 ? '1 file' : `${preview.changes.length} files`;
      return ask(`Roll back ${files} to ${preview.target.name}? [y/N] `, ctx);
    };
    const options = { dryRun, onPreview, ...(args.yes === true ? {} : { confirm }), policy: settings.policy, signal: ctx.signal };
    const target = typeof args.name === 'string' ? args.name : undefined;
    const result = args.undo === true ? await git.undoRollback(repo, options) : await git.rollback(repo, { ...options, target });
    return report(result, { project, ctx, json, dryRun, restart: args.restart !== false, view });
  },
};

interface ReportContext {
  project: Project;
  ctx: CommandContext;
  json: boolean;
  dryRun: boolean;
  restart: boolean;
  view: typeof View;
}

async function report(result: RollbackResult, { project, ctx, json, dryRun, restart, view }: ReportContext): Promise<number> {
  const { out } = ctx;
  const { preview } = result;
  const nothing = preview.upToDate;
  if (!result.applied && !nothing && !dryRun) {
    if (!json) out.note('Rollback cancelled: nothing was changed.');
    return ExitCode.cancelled;
  }
  const restarts = result.applied && restart ? await restartAfterRollback(project, ctx) : { restarted: [], failed: [], running: false };
  if (json) {
    out.json({ ...view.previewJson(preview), applied: result.applied, dryRun, undo: result.undo?.name ?? null, kept: result.kept, restarted: restarts.restarted, restartFailed: restarts.failed });
  } else if (nothing) {
    printWrapped(out.line, `The work tree already matches ${preview.target.name}: nothing to roll back.`, out.wrapAt, { hanging: '  ' });
  } else if (dryRun) {
    view.printPreview(preview, view.settingsOf(project.config).policy, out);
    out.line(out.style.dim('Dry run: nothing was changed.'));
  } else {
    out.line(out.style.green(`Rolled back to ${preview.target.name}.`));
    printWrapped(out.line, `The state before is saved as ${result.undo?.name ?? '?'}: \`choiros rollback --undo\` returns to it.`, out.wrapAt, { hanging: '  ' });
    if (result.kept.length > 0) printWrapped(out.line, `Kept ${view.pathList(result.kept)}: ${preview.target.name}'s .gitignore ignores ${result.kept.length === 1 ? 'it' : 'them'}, and ignored files are never touched.`, out.wrapAt, { hanging: '  ' });
    if (restarts.restarted.length > 0) out.line(`Restarted ${restarts.restarted.join(', ')}.`);
  }
  for (const failure of restarts.failed) {
    const [first = '', ...rest] = wrap(`error: the rollback is done, but restarting '${failure.window}' failed: ${failure.error}`, out.wrapAt, { hanging: '  ' });
    out.note(first.replace(/^error/, out.style.red('error')));
    for (const line of rest) out.note(line);
  }
  return restarts.failed.length > 0 ? ExitCode.failure : ExitCode.ok;
}
