import type { CommandSpec } from '../command.js';
import { table } from '../table.js';
import { openProjectRepo } from './project-repo.js';

export const checkpoints: CommandSpec = {
  name: 'checkpoints',
  describe: 'list checkpoints newest first: age, verdict, files changed against HEAD, message',
  options: {
    json: { type: 'boolean', describe: 'print the list as JSON' },
    all: { type: 'boolean', describe: 'also list the undo handles under refs/choiros/' },
  },
  async run(args, ctx) {
    const [{ repo }, { listCheckpoints }, { age, displayPath }] = await Promise.all([
      openProjectRepo(ctx, args.config),
      import('../../git/checkpoints.js'),
      import('./checkpoint-view.js'),
    ]);
    const { checkpoints: list, listing } = await listCheckpoints(repo);
    const handles = args.all === true ? listing.handles : [];
    const now = new Date();
    const { out } = ctx;

    if (args.json === true) {
      const entries = [
        ...list.map((c) => ({
          kind: 'checkpoint' as const,
          name: c.name,
          commit: c.commit,
          date: c.date.toISOString(),
          ageSeconds: Math.max(0, Math.round((now.getTime() - c.date.getTime()) / 1000)),
          message: c.message,
          verdict: c.verdict,
          runId: c.runId ?? null,
          filesChanged: c.filesChanged,
        })),
        ...handles.map((h) => ({
          kind: 'undo' as const,
          name: h.name,
          ref: h.ref,
          commit: h.commit,
          date: h.date.toISOString(),
          ageSeconds: Math.max(0, Math.round((now.getTime() - h.date.getTime()) / 1000)),
          target: h.target,
          worktree: h.worktree,
        })),
      ];
      out.json(entries);
      return 0;
    }
    if (list.length === 0) out.line('No checkpoints yet. Take one with `choiros checkpoint`.');
    else {
      const rows = list.map((c) => [c.name, age(c.date, now), c.verdict, String(c.filesChanged), displayPath(c.message.split('\n')[0] ?? '')]);
      for (const line of table([['NAME', 'AGE', 'VERDICT', 'FILES', 'MESSAGE'], ...rows], out.columns, { drop: [3], whole: [0] })) out.line(line);
    }
    if (args.all === true) {
      out.line();
      if (handles.length === 0) out.line('No undo handles.');
      else {
        const where = (worktree: string) => (worktree === repo.root ? '' : ` (work tree ${worktree})`);
        const rows = handles.map((h) => [h.name, age(h.date, now), `${displayPath(h.target)}${where(h.worktree)}`]);
        for (const line of table([['UNDO HANDLE', 'AGE', 'BEFORE ROLLING BACK TO'], ...rows], out.columns, { whole: [0] })) out.line(line);
      }
    }
    return 0;
  },
};
