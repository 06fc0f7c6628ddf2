import type { CommandSpec } from '../command.js';

export const runCommand: CommandSpec = {
  name: 'run',
  describe: 'run a program against real agents: prose run FILE [key=value…] (e.g. phase=setup mode=autonomous)',
  positionals: [
    { name: 'file', describe: 'the .prose program', required: true },
    { name: 'inputs', describe: 'inputs as key=value or key:value (JSON values allowed; quote a list whole: components=\'["api","ui"]\', or [api,ui] for a list input); phase=NAME, mode=autonomous|assisted', variadic: true },
  ],
  options: {
    'dry-run': { type: 'boolean', describe: 'show which sessions the program would start, in order, and start none (scripted agent, default oracle)' },
    json: { type: 'boolean', describe: 'print one JSON event per line' },
    answers: { type: 'string', describe: 'answer **discretion** from this YAML/JSON file, by question text or site' },
    oracle: { type: 'string', choices: ['judge', 'default'], describe: 'who answers **discretion**: the judge agent, or the default policy' },
    'max-loop': { type: 'number', describe: 'iterations of a `loop` without `max` (default 100)' },
  },
  examples: [
    ['prose run build.prose feature=search', 'run every phase; inputs as key=value'],
    ['prose run build.prose phase=setup mode=autonomous', 'one phase, never waiting for a human'],
    ['prose run build.prose mode=autonomous checkpoint_interval=10 deadline=07:00', 'overnight: a checkpoint every 10 minutes (a bare number is minutes), no step after 07:00'],
    ["prose run build.prose components='[\"api\",\"ui\"]' --dry-run", 'which sessions would start, in order'],
    ['prose run build.prose --json | jq .type', 'one JSON event per line'],
  ],
  async run(args, ctx) {
    const { runProse } = await import('./run-session.js');
    return runProse(args, ctx);
  },
};
