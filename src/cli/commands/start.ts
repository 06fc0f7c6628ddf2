import type { CommandSpec } from '../command.js';

export const start: CommandSpec = {
  name: 'start',
  describe: 'create or repair the session; never duplicates windows',
  options: {
    attach: { type: 'boolean', describe: 'attach to the session afterwards (only on a terminal)' },
    wait: { type: 'boolean', describe: 'wait until every auto-started window is ready (exit 1 if one fails)' },
    json: { type: 'boolean', describe: 'print what was created, respawned and kept as JSON' },
  },
  examples: [
    ['choiros start', 'create the session in the background'],
    ['choiros start --attach', 'create it and attach'],
    ['choiros start --wait', 'create it and wait for the readiness probes'],
  ],
  async run(args, ctx) {
    // Besides node itself and tmux, module loading is most of what start costs: the session code
    // loads while the config is read, and the report's while tmux builds the session. The report
    // is imported after startSession is called so that compiling it does not delay the spawn
    // (on a fresh start, startSession reaches tmux without waiting on any I/O).
    const [project, { startSession }] = await Promise.all([ctx.project(), import('../../tmux/session.js')]);
    const started = startSession(project, { self: ctx.self, env: ctx.env });
    const [report, { printStart, waitUntilReady }] = await Promise.all([started, import('../views/start-report.js')]);
    if (args.json === true) {
      ctx.out.json({
        session: report.session,
        socket: report.socket,
        fresh: report.plan.fresh,
        windows: report.plan.windows.map((w) => ({ name: w.name, action: w.action, state: w.launch?.state ?? null, changed: w.changed === true })),
        supervisor: report.plan.supervisor,
      });
    } else {
      printStart(project, report, ctx.out);
    }
    let code = 0;
    if (args.wait === true) code = await waitUntilReady(project, ctx);
    if (args.attach === true) {
      if (!ctx.out.isTTY) ctx.out.note('Not attaching: there is no terminal. Run `choiros attach` from one.');
      else {
        const { attachSession } = await import('../../tmux/attach.js');
        return attachSession(project, ctx.env);
      }
    }
    return code;
  },
};
