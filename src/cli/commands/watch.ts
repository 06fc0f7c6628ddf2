import { AbortError } from '../../errors.js';
import type { CommandSpec } from '../command.js';

/** Never worth watching: VCS data, dependencies, build output, caches, choiros' own state. */
export const WATCH_IGNORES = ['.git', 'node_modules', 'dist', 'build', 'out', 'coverage', 'target', '.choiros', '.next', '.turbo', '.cache', '.venv', '__pycache__'];

export const watch: CommandSpec = {
  name: 'watch',
  describe: 'the watcher window: re-run the tests when files change',
  options: {
    run: { type: 'string', describe: 'the test command (default: watch.run in choiros.yaml, else the package.json test script)' },
  },
  async run(args, ctx) {
    const project = await ctx.project();
    const command = (args.run as string | undefined) ?? project.config.testCommand;
    if (command === undefined) {
      throw new AbortError('There is no test command to run.', { hint: 'Set `watch: { run: "…" }` in choiros.yaml, or add a "test" script to package.json.' });
    }
    const { watchProject } = await import('../../watch/watch-project.js');
    await watchProject({
      root: project.root,
      command,
      debounceMs: project.config.watch.debounce,
      ignore: [...WATCH_IGNORES, ...project.config.watch.ignore],
      out: ctx.out,
      signal: ctx.signal,
    });
    return 0;
  },
};
