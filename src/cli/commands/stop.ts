import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../command.js';

const DEFAULT_GRACE_MS = 5000;

export const stop: CommandSpec = {
  name: 'stop',
  describe: "stop the session's processes and its tmux server",
  options: {
    grace: { type: 'string', describe: 'time between SIGTERM and SIGKILL (default: stop_grace in choiros.yaml, else 5s)' },
    json: { type: 'boolean', describe: 'print what was stopped as JSON' },
  },
  async run(args, ctx) {
    const project = await ctx.project();
    let graceMs = project.config.stop_grace ?? DEFAULT_GRACE_MS;
    if (typeof args.grace === 'string') {
      const parsed = parseDuration(args.grace);
      if (parsed === undefined) throw new UsageError(`--grace: expected a duration like 2s or 500ms, got '${args.grace}'`);
      graceMs = parsed;
    }
    const { stopSession } = await import('../../tmux/session.js');
    const report = await stopSession(project, { env: ctx.env, graceMs });
    if (args.json === true) ctx.out.json({ session: project.config.session, socket: project.socket, ...report });
    else if (!report.running) ctx.out.line(`Session '${project.config.session}' is not running.`);
    else {
      const forced = report.killed > 0 ? ` (${report.killed} needed SIGKILL)` : '';
      ctx.out.line(`Stopped '${project.config.session}': ${report.windows} windows, ${report.terminated + report.killed} processes${forced}.`);
    }
    return 0;
  },
};
