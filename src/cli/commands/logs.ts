import { windowLogFile } from '../../config/paths.js';
import { UsageError } from '../../errors.js';
import { keepColorsOnly, stripAnsi } from '../../util/ansi.js';
import type { CommandSpec } from '../command.js';

const PALETTE = [36, 32, 33, 35, 34, 96, 92, 93];

export const logs: CommandSpec = {
  name: 'logs',
  describe: 'show the per-window log files (all windows, or one)',
  positionals: [{ name: 'window', describe: 'only this window' }],
  options: {
    follow: { type: 'boolean', alias: 'f', describe: 'keep printing new lines as they arrive' },
    lines: { type: 'number', alias: 'n', describe: 'how many recent lines to show first', default: 50 },
  },
  examples: [
    ['choiros logs api -n 100', 'the last 100 lines of the api window'],
    ['choiros logs -f', 'follow every window, each line prefixed with its window'],
  ],
  async run(args, ctx) {
    const project = await ctx.project();
    const session = project.config.session;
    const logged = project.config.windows.filter((w) => w.log);
    const name = args.window as string | undefined;
    let chosen = logged.filter((w) => w.name !== ctx.env.CHOIROS_WINDOW);
    if (name !== undefined) {
      const window = project.config.windows.find((w) => w.name === name);
      if (window === undefined) throw new UsageError(`There is no window '${name}'.`, { hint: `Windows: ${project.config.windows.map((w) => w.name).join(', ')}.` });
      if (!window.log) throw new UsageError(`The window '${name}' does not keep a log (log: false in choiros.yaml).`);
      chosen = [window];
    }
    const files = chosen.map((w) => ({ name: w.name, path: windowLogFile(project.home, session, w.name) }));
    const clean = ctx.out.color ? keepColorsOnly : stripAnsi;
    const width = Math.max(...files.map((f) => f.name.length));
    const prefix = (window: string) => {
      if (files.length === 1) return '';
      const label = `${window.padEnd(width)} | `;
      const color = PALETTE[files.findIndex((f) => f.name === window) % PALETTE.length] ?? 36;
      return ctx.out.color ? `\u001b[${color}m${label}\u001b[39m` : label;
    };
    const emit = (window: string, lines: readonly string[]) => {
      for (const raw of lines) {
        const line = clean(raw.replace(/\r+$/, '')).split('\r').at(-1) ?? '';
        ctx.out.line(`${prefix(window)}${line}`);
      }
    };

    const { tailLines } = await import('../../tmux/log-files.js');
    const count = Number(args.lines);
    if (!Number.isInteger(count) || count < 0) throw new UsageError(`--lines: expected a whole number, got '${String(args.lines)}'`);
    for (const file of files) if (count > 0) emit(file.name, tailLines(file.path, count));
    if (args.follow === true) {
      const { followFiles } = await import('../../tmux/log-follow.js');
      await followFiles(files, emit, ctx.signal);
    }
    return 0;
  },
};
