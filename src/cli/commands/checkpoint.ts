import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../command.js';
import { printWrapped } from '../../util/wrap.js';
import { openProjectRepo } from './project-repo.js';

export const checkpoint: CommandSpec = {
  name: 'checkpoint',
  describe: 'snapshot the whole work tree as tag checkpoint-YYYYMMDD-HHMMSS (your index, HEAD and files are untouched)',
  options: {
    message: { type: 'string', alias: 'm', describe: 'what this checkpoint is' },
    verdict: { type: 'string', choices: ['good', 'bad', 'unverified'], describe: 'record a verification verdict (default: unverified)' },
    mark: { type: 'string', describe: 'instead of taking a checkpoint, set the --verdict of this existing one' },
    json: { type: 'boolean', describe: 'print {name, commit, skipped: [paths], …} as JSON' },
  },
  finishesWhatItStarts: true,
  examples: [
    ['choiros checkpoint -m "before the refactor"', 'snapshot everything, untracked files included'],
    ['npm test && choiros checkpoint --verdict good', 'a checkpoint that rollback prefers'],
    ['choiros checkpoint --mark checkpoint-20260130-120000 --verdict bad', 'change a verdict later'],
  ],
  async run(args, ctx) {
    const verdict = args.verdict as 'good' | 'bad' | 'unverified' | undefined;
    // `-m` with nothing after it (or `-m ""`) is a message forgotten, not one meant to be blank:
    // the checkpoint would be listed with no word of what it is.
    if (typeof args.message === 'string' && args.message.trim() === '') {
      throw new UsageError('-m/--message needs the message: nothing was saved.', { hint: 'choiros checkpoint -m "before the refactor" — or leave -m out for the default message.' });
    }
    // The checkpoint module alone, not the whole library, loaded while the config is read and
    // git finds the repository: every millisecond of start-up counts when an agent loop
    // checkpoints every iteration.
    const [{ project, repo }, { createCheckpoint, markCheckpoint }, { settingsOf, skippedJson, skippedLines }] = await Promise.all([
      openProjectRepo(ctx, args.config),
      import('../../git/checkpoints.js'),
      import('./checkpoint-view.js'),
    ]);
    const settings = settingsOf(project.config);
    const { out } = ctx;

    if (typeof args.mark === 'string') {
      if (verdict === undefined) throw new UsageError('--mark needs --verdict good, bad or unverified.');
      const marked = await markCheckpoint(repo, args.mark, verdict);
      if (args.json === true) out.json({ name: marked.name, commit: marked.commit, verdict: marked.verdict });
      else out.line(`Marked ${marked.name} ${marked.verdict}.`);
      return 0;
    }

    const runId = ctx.env.CHOIROS_RUN_ID || undefined;
    const created = await createCheckpoint(repo, {
      message: typeof args.message === 'string' ? args.message : undefined,
      runId,
      ...(verdict === undefined ? {} : { verdict }),
      policy: settings.policy,
      keep: settings.keep,
      signal: ctx.signal,
    });
    if (args.json === true) {
      out.json({
        name: created.name,
        commit: created.commit,
        skipped: created.skipped.map((s) => s.path),
        tree: created.tree,
        verdict: verdict ?? 'unverified',
        skippedDetails: skippedJson(created.skipped),
        submodules: created.submodules,
        pruned: created.pruned,
      });
      return 0;
    }
    out.line(`Saved ${out.style.bold(created.name)} (${created.commit.slice(0, 10)}).`);
    if (created.skipped.length > 0) {
      out.line('Not in the snapshot (a rollback never touches these):');
      for (const line of skippedLines(created.skipped, settings.policy)) out.line(line);
    }
    for (const path of created.submodules) printWrapped(out.line, `Submodule ${path}: its commit is recorded, its own uncommitted changes are not.`, out.wrapAt, { hanging: '  ', style: out.style.yellow });
    if (created.pruned.length > 0) printWrapped(out.line, `Pruned ${created.pruned.join(', ')} (checkpoints.keep = ${settings.keep}).`, out.wrapAt, { hanging: '  ', style: out.style.dim });
    return 0;
  },
};
