import { AbortError, UsageError } from '../../errors.js';
import type { Run } from '../../ledger/model.js';
import { isAlive } from '../../process/tree.js';
import type { CommandContext, CommandSpec, OptionSpec } from '../command.js';
import { projectRedactor, redacting, withSecretsRedacted } from './ledger-access.js';
import { loadPlay, type LoadedPlay } from './play-load.js';
import { userName } from '../../util/user-name.js';

const RUN: OptionSpec = { type: 'string', describe: 'the run (default: the latest)' };
const JSON_OPTION: OptionSpec = { type: 'boolean', describe: 'print JSON' };

/** Runs a report subcommand with the play loaded and every printed line redacted. */
async function withPlay(args: Record<string, unknown>, ctx: CommandContext, show: (play: LoadedPlay, out: CommandContext['out']) => Promise<void>): Promise<number> {
  const play = await loadPlay(ctx, args.run as string | undefined);
  try {
    await show(play, redacting(ctx.out, await projectRedactor(ctx)));
  } finally {
    play.ledger.close();
  }
  return 0;
}

const status: CommandSpec = {
  name: 'status',
  describe: 'stages, deviations, health, progress, ETA and the next action of a run',
  options: { run: RUN, json: JSON_OPTION },
  run: (args, ctx) =>
    withPlay(args, ctx, async (play, out) => {
      const report = play.report();
      if (args.json === true) return out.json((await import('../../play/json.js')).reportJson(report));
      const { statusLines } = await import('../../ui/play-text.js');
      for (const line of statusLines(report, out.style, out.columns, out.wrapAt)) out.line(line);
    }),
};

const history: CommandSpec = {
  name: 'history',
  describe: 'the run as a timeline of stages, tasks, deviations and overrides',
  options: { run: RUN, json: JSON_OPTION },
  run: (args, ctx) =>
    withPlay(args, ctx, async (play, out) => {
      const { timeline } = await import('../../play/timeline.js');
      const entries = timeline(play.ledger.events({ runId: play.run.id }));
      if (args.json === true) return out.json(entries);
      const { historyLines } = await import('../../ui/play-text.js');
      for (const line of historyLines(entries, out.columns)) out.line(line);
    }),
};

const diff: CommandSpec = {
  name: 'diff',
  describe: 'what should have happened (the play) next to what did, stage by stage',
  options: { run: RUN, json: JSON_OPTION },
  run: (args, ctx) =>
    withPlay(args, ctx, async (play, out) => {
      const { playDiff } = await import('../../play/diff.js');
      const stages = playDiff(play.feed.state, play.report());
      if (args.json === true) return out.json(stages);
      const { diffLines } = await import('../../ui/play-text.js');
      for (const line of diffLines(stages, out.style)) out.line(line);
    }),
};

const metrics: CommandSpec = {
  name: 'metrics',
  describe: "a run's stage durations, retries, success rates and deviations",
  options: { run: RUN, json: JSON_OPTION },
  run: (args, ctx) =>
    withPlay(args, ctx, async (play, out) => {
      const { runMetrics } = await import('../../play/run-metrics.js');
      const m = runMetrics(play.feed.state, play.report());
      if (args.json === true) return out.json(m);
      const { metricsLines } = await import('../../ui/play-text.js');
      for (const line of metricsLines(m, out.columns, out.wrapAt)) out.line(line);
    }),
};

function overrideEffect(action: 'advance' | 'reset', stage: string): string {
  return action === 'advance' ? `the stages before '${stage}' that have not succeeded are passed over (recorded as skipped, not run).` : `'${stage}' and the stages after it run again, without replaying what they recorded before.`;
}

/** Overrides are acted on at phase boundaries only: a phase is never cut in half. */
function whenActedOn(run: Run): string {
  const live = run.status === 'running' && run.pid !== null && isAlive(run.pid);
  return live ? `The run acts on it when its current phase ends.` : `It takes effect when the run goes on: prose resume ${run.id}`;
}

/** An advance moves the play forward: to a stage that has not started, and with nothing after it started. */
function ensureAhead(play: LoadedPlay, stage: string): void {
  const stages = play.feed.state.stages;
  const index = stages.findIndex((s) => s.name === stage);
  const target = stages[index];
  const later = stages.slice(index + 1).find((s) => s.status !== 'pending');
  if (target !== undefined && target.status !== 'pending' && target.status !== 'failed') {
    throw new UsageError(`Stage '${stage}' of ${play.run.id} is ${target.status}: an advance moves the play on to a stage that has not run.`, { hint: `To run it again: choiros play reset --run ${play.run.id} --to-stage ${stage}` });
  }
  if (later !== undefined) {
    throw new UsageError(`Run ${play.run.id} is past stage '${stage}' (${later.name} is ${later.status}): an advance only moves the play forward.`, { hint: `To go back: choiros play reset --run ${play.run.id} --to-stage ${stage}` });
  }
}

function override(action: 'advance' | 'reset'): CommandSpec {
  const flag = action === 'advance' ? 'stage' : 'to-stage';
  return {
    name: action,
    describe:
      action === 'advance'
        ? 'admin override: move the play on to STAGE (earlier stages that have not succeeded are passed over), acted on at the next phase boundary'
        : 'admin override: send the play back to STAGE (it and later stages run again), acted on at the next phase boundary',
    options: {
      run: RUN,
      [flag]: { type: 'string', describe: 'the stage (a phase of the program)' },
      by: { type: 'string', describe: 'who overrides (default: $USER, else your login name)' },
      json: JSON_OPTION,
    },
    async run(args, ctx) {
      const stage = args[action === 'advance' ? 'stage' : 'toStage'];
      if (typeof stage !== 'string' || stage === '') throw new UsageError(`play ${action}: --${flag} STAGE is required`);
      const play = await loadPlay(ctx, args.run as string | undefined);
      try {
        // Its stages follow the tasks its orchestrator logs: no runner would act on an override.
        if (play.run.origin === 'external') throw new AbortError(`Run ${play.run.id} is not a choiros-driven run: an external orchestrator logs it through the task API, so its play cannot be moved.`);
        const known = play.feed.state.stages.map((s) => s.name);
        if (!known.includes(stage)) {
          throw new UsageError(`Run ${play.run.id} has no stage '${stage}'.`, { hint: known.length === 0 ? 'The run has recorded no play.spec yet.' : `Its stages: ${known.join(', ')}.` });
        }
        if (action === 'advance') ensureAhead(play, stage);
        const by = (args.by as string | undefined) ?? userName(ctx.env);
        const stored = play.ledger.append(play.run.id, { type: 'admin', action, stage, by });
        if (args.json === true) ctx.out.json({ run_id: play.run.id, action, stage, by, seq: stored.seq });
        else ctx.out.line(`Recorded ${action} of ${play.run.id} to stage '${stage}'${by === null ? '' : ` by ${by}`}: ${overrideEffect(action, stage)} ${whenActedOn(play.run)}`);
      } finally {
        play.ledger.close();
      }
      return 0;
    },
  };
}

export const play: CommandSpec = withSecretsRedacted({
  name: 'play',
  describe: 'the play tracker: what should happen in a run against what did',
  subcommands: [status, history, diff, metrics, override('advance'), override('reset')],
});
