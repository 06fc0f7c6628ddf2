import { parseDuration } from '../../config/units.js';
import { UsageError } from '../../errors.js';
import { sleep } from '../../util/sleep.js';
import type { SessionStatus } from '../../tmux/status.js';
import { STATUS_HEADER, projectLine, statusRow, statusTitle } from '../../ui/status-rows.js';
import type { CommandContext, CommandSpec } from '../command.js';
import type { ProjectStatus } from '../views/project-status.js';
import type { Output } from '../output.js';
import { table } from '../table.js';
import { wrapParts } from '../../util/wrap.js';

function printPlain(status: SessionStatus & Parameters<typeof projectLine>[0], out: Output): void {
  for (const line of wrapParts(statusTitle(status).split(' · '), out.wrapAt)) out.line(line);
  const project = projectLine(status, Date.now());
  if (project !== undefined) for (const line of wrapParts(project.split(' · '), out.wrapAt)) out.line(line);
  if (!status.running) return;
  // On a narrow terminal the pid and the uptime give way to the last log line.
  for (const line of table([[...STATUS_HEADER], ...status.windows.map(statusRow)], out.columns, { drop: [3, 5], whole: [0] })) out.line(line);
}

export const status: CommandSpec = {
  name: 'status',
  describe: 'windows (state, readiness, pid, restarts, last log line), git branch, last checkpoint, current run',
  options: {
    json: { type: 'boolean', describe: 'print {session, socket, windows: [...]} as JSON' },
    watch: { type: 'boolean', alias: 'w', describe: 'refresh live until q or Ctrl-C' },
    interval: { type: 'string', describe: 'refresh period with --watch', default: '1s' },
  },
  async run(args, ctx) {
    const intervalMs = parseDuration(String(args.interval));
    if (intervalMs === undefined || intervalMs < 100) throw new UsageError(`--interval: expected a duration of at least 100ms, got '${String(args.interval)}'`);
    const project = await ctx.project();
    const { projectStatus, watchedProjectStatus } = await import('../views/project-status.js');
    if (args.json === true && args.watch !== true) {
      ctx.out.json(await projectStatus(project, ctx.env));
      return 0;
    }
    const watched = args.watch === true ? await watchedProjectStatus(project, ctx.env, Math.max(10_000, intervalMs)) : undefined;
    const load = watched?.load ?? (() => projectStatus(project, ctx.env));
    try {
      return await show(load, args.watch === true, intervalMs, args.json === true, ctx);
    } finally {
      watched?.close();
    }
  },
};

/** Draws the status once, or again every interval: Ink on a terminal, plain lines or JSON lines otherwise. */
async function show(load: () => Promise<ProjectStatus>, watch: boolean, intervalMs: number, json: boolean, ctx: CommandContext): Promise<number> {
  if (json) {
    // --json --watch: one JSON document per line and refresh, for scripts that follow the session.
    while (!ctx.signal.aborted) {
      ctx.out.line(JSON.stringify(await load()));
      await sleep(intervalMs, ctx.signal);
    }
    return 0;
  }
  if (ctx.out.isTTY) {
    const { importUi } = await import('../../ui/import-ui.js');
    const { renderStatusScreen } = await importUi(() => import('../../ui/render.js'), { color: ctx.out.color });
    await renderStatusScreen({ load, intervalMs: watch ? intervalMs : undefined, out: ctx.out, stdin: ctx.stdin, signal: ctx.signal });
    return 0;
  }
  printPlain(await load(), ctx.out);
  while (watch && !ctx.signal.aborted) {
    await sleep(intervalMs, ctx.signal);
    if (ctx.signal.aborted) break;
    ctx.out.line();
    printPlain(await load(), ctx.out);
  }
  return 0;
}
