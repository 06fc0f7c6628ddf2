import type { CommandSpec } from '../command.js';

export const resumeCommand: CommandSpec = {
  name: 'resume',
  describe: 'continue a run that stopped — a crash or kill -9, a pause, a gate answered since, a limit — from its first unfinished step',
  positionals: [
    { name: 'run-id', describe: 'the run to continue', required: true },
    { name: 'settings', describe: 'run settings to change: max_iterations=N deadline=HH:MM agent_timeout=… mode=… (inputs stay as the run was given them)', variadic: true },
  ],
  options: {
    input: { type: 'boolean', default: true, describe: 'ask on a terminal; --no-input never asks: a program changed since the run started is refused' },
    json: { type: 'boolean', describe: 'print one JSON event per line' },
    answers: { type: 'string', describe: 'answer **discretion** from this YAML/JSON file, by question text or site' },
    oracle: { type: 'string', choices: ['judge', 'default'], describe: 'who answers **discretion**: the judge agent, or the default policy' },
    'max-loop': { type: 'number', describe: 'iterations of a `loop` without `max` (default 100)' },
  },
  examples: [
    ['prose resume run-20260130-230000-1a2b3c', 'go on where it stopped: finished steps are replayed, not run again'],
    ['prose resume run-20260130-230000-1a2b3c max_iterations=20 deadline=12:00', 'raise the caps that stopped it'],
    ['prose resume run-20260130-230000-1a2b3c --no-input', 'never ask (cron, CI): a changed program is refused'],
  ],
  async run(args, ctx) {
    const { resumeProse } = await import('./run-resume.js');
    return resumeProse(args, ctx);
  },
};
