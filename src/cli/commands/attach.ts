import { UsageError } from '../../errors.js';
import type { CommandSpec } from '../command.js';

export const attach: CommandSpec = {
  name: 'attach',
  describe: 'attach to the session (switch-client when already inside its tmux)',
  async run(_args, ctx) {
    if (!ctx.out.isTTY || ctx.stdin.isTTY !== true) {
      throw new UsageError('attach needs a terminal.', { hint: 'Run it from an interactive shell; scripts can use `choiros status --json`.' });
    }
    const project = await ctx.project();
    const { attachSession } = await import('../../tmux/attach.js');
    return attachSession(project, ctx.env);
  },
};
