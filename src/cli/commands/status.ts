import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import { sleep } from '../../util/sleep.js';
import type { SessionStatus } from '../../tmux/status.js';
import { STATUS_HEADER, statusRow, statusTitle } from '../../ui/status-rows.js';
import type { CommandSpec } from '../command.js';
import { table, type Output } from '../output.js';

function printPlain(status: SessionStatus, out: Output): void {
  out.line(statusTitle(status));
  if (!status.running) return;
  for (const line of table([[...STATUS_HEADER], ...status.windows.map(statusRow)], out.columns)) out.line(line);
}

export const status: CommandSpec = {
  name: 'status',
  describe: 'windows, readiness, restarts, pids and the last log line of each',
  options: {
    json: { type: 'boolean', describe: 'print {session, socket, windows: [...]} as JSON' },
    watch: { type: 'boolean', alias: 'w', describe: 'refresh live until q or Ctrl-C' },
    interval: { type: 'string', describe: 'refresh period with --watch', default: '1s' },
  },
  async run(args, ctx) {
    const intervalMs = parseDuration(String(args.interval));
    if (intervalMs === undefined || intervalMs < 100) throw new UsageError(`--interval: expected a duration of at least 100ms, got '${String(args.interval)}'`);
    const project = await ctx.project();
    const { sessionStatus } = await import('../../tmux/status.js');
    const load = () => sessionStatus(project, ctx.env);
    if (args.json === true) {
      ctx.out.json(await load());
      return 0;
    }
    if (ctx.out.isTTY) {
      const { importUi } = await import('../../ui/import-ui.js');
      const { renderStatusScreen } = await importUi(() => import('../../ui/render.js'));
      await renderStatusScreen({ load, intervalMs: args.watch === true ? intervalMs : undefined, out: ctx.out, stdin: ctx.stdin, signal: ctx.signal });
      return 0;
    }
    printPlain(await load(), ctx.out);
    while (args.watch === true && !ctx.signal.aborted) {
      await sleep(intervalMs, ctx.signal);
      if (ctx.signal.aborted) break;
      ctx.out.line();
      printPlain(await load(), ctx.out);
    }
    return 0;
  },
};
