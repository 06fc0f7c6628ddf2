import type { CommandSpec } from '../command.js';

export const restart: CommandSpec = {
  name: 'restart',
  describe: 'restart one window in place',
  positionals: [{ name: 'window', describe: 'the window to restart (see `choiros status`)', required: true }],
  options: { json: { type: 'boolean', describe: 'print the result as JSON' } },
  async run(args, ctx) {
    const project = await ctx.project();
    const { restartWindow } = await import('../../tmux/session.js');
    const report = await restartWindow(project, String(args.window), { self: ctx.self, env: ctx.env, graceMs: project.config.stop_grace ?? 5000 });
    if (args.json === true) ctx.out.json(report);
    else if (report.sessionStarted) ctx.out.line(`Session '${project.config.session}' was not running: started it, every window with '${report.window}' (\`choiros stop\` ends it).`);
    else ctx.out.line(report.created ? `Created window '${report.window}'.` : `Restarted '${report.window}'${report.pid === undefined ? '' : ` (pid ${report.pid})`}.`);
    return 0;
  },
};
