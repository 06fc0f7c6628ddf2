import type { CommandSpec } from '../command.js';

export const demo: CommandSpec = {
  name: 'demo',
  describe: 'see choiros work: a sample project, its tmux session and an agentic build that fails, rolls back and passes (no API key, no network)',
  options: {
    keep: { type: 'boolean', describe: 'leave the session running to attach to (choiros stop ends it)' },
    tui: { type: 'boolean', default: true, describe: 'show the live play dashboard on a terminal (--no-tui: plain lines)' },
    dir: { type: 'string', describe: 'make the demo in this new or empty folder (default: a new temporary folder)' },
    json: { type: 'boolean', describe: 'end with a JSON summary on stdout (progress goes to stderr)' },
    pace: { type: 'string', default: '1s', hidden: true, describe: 'how long each scripted agent works' },
  },
  examples: [
    ['choiros demo', 'the whole story in about half a minute'],
    ['choiros demo --keep', 'then attach to the session it leaves running'],
    ['choiros demo --no-tui', 'plain lines instead of the live dashboard'],
  ],
  async run(args, ctx) {
    const { runDemo } = await import('../demo/run-demo.js');
    return runDemo(args, ctx);
  },
};
