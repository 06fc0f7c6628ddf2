import type { Project } from '../../config/load.js';
import { formatDuration } from '../../config/units.js';
import type { StartReport } from '../../tmux/session.js';
import type { CommandContext } from '../command.js';
import type { Output } from '../output.js';
import { table } from '../table.js';
import { wrap, wrapParts } from '../../util/wrap.js';

const MARK = { create: '+', respawn: '↻', keep: '=' } as const;

export function printStart(project: Project, report: StartReport, out: Output): void {
  const { plan } = report;
  const { style } = out;
  const verb = plan.fresh ? 'started' : plan.commands.length === 0 ? 'already running' : 'repaired';
  const title = `Session '${report.session}'`;
  const socket = `(tmux -L ${report.socket})`;
  for (const line of wrap(`${title} ${verb} ${socket}`, out.wrapAt, { hanging: '  ' })) out.line(line.replace(title, style.bold(title)).replace(socket, style.dim(socket)));
  const rows = plan.windows.map((w) => {
    const config = project.config.windows.find((c) => c.name === w.name);
    const state = w.launch?.state === 'waiting' ? `waiting for ${config?.depends_on.join(', ') ?? ''}` : w.launch?.state === 'idle' ? 'not auto-started' : w.action === 'keep' ? 'running' : w.action === 'create' ? 'created' : 'respawned';
    const detail = w.changed === true ? style.yellow(`config changed: choiros restart ${w.name}`) : (config?.command ?? style.dim('(shell)'));
    return [`  ${MARK[w.action]}`, w.name, state, detail];
  });
  for (const line of table(rows, out.columns)) out.line(line);
  if (plan.supervisor !== 'keep') out.line(style.dim(`  supervisor ${plan.supervisor === 'create' ? 'started' : 'restarted'}`));
  for (const line of wrapParts(['Next: choiros attach', 'choiros status --watch', 'choiros logs -f'], out.wrapAt)) out.line(style.dim(line));
}

const SETTLED = new Set(['ready', 'failed', 'exited', 'unhealthy']);

/** Polls status until every auto-started window settles; 1 when one of them is not ready. */
export async function waitUntilReady(project: Project, ctx: CommandContext): Promise<number> {
  const { sessionStatus } = await import('../../tmux/status.js');
  const watched = new Set(project.config.windows.filter((w) => w.autostart).map((w) => w.name));
  const longest = Math.max(0, ...project.config.windows.map((w) => (w.ready?.timeout ?? 0) + (w.depends_on.length > 0 ? 60_000 : 0)));
  const deadline = Date.now() + longest + 10_000;
  const reported = new Set<string>();
  const started = Date.now();
  while (!ctx.signal.aborted) {
    const status = await sessionStatus(project, ctx.env);
    const mine = status.windows.filter((w) => watched.has(w.name));
    for (const w of mine) {
      if (SETTLED.has(w.state) && !reported.has(w.name)) {
        reported.add(w.name);
        const mark = w.state === 'ready' ? ctx.out.style.green('ready') : ctx.out.style.red(w.state);
        ctx.out.note(`  ${w.name}: ${mark} after ${formatDuration(Date.now() - started)}${w.note === null ? '' : ` (${w.note})`}`);
      }
    }
    if (mine.every((w) => SETTLED.has(w.state))) return mine.every((w) => w.state === 'ready' || (w.state === 'exited' && w.exitCode === 0)) ? 0 : 1;
    if (Date.now() > deadline) {
      const pending = mine.filter((w) => !SETTLED.has(w.state)).map((w) => `${w.name} (${w.state})`);
      ctx.out.note(`Gave up waiting for: ${pending.join(', ')}`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return 0;
}
