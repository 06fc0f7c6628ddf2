import type { CommandSpec } from '../command.js';

export const supervise: CommandSpec = {
  name: 'supervise',
  describe: 'run the supervisor loop (started by `choiros start` in its own tmux session)',
  hidden: true,
  async run(_args, ctx) {
    const project = await ctx.project();
    const { runSupervisor } = await import('../../tmux/run-supervisor.js');
    await runSupervisor(project, { self: ctx.self, env: ctx.env, out: ctx.out, signal: ctx.signal });
    return 0;
  },
};
