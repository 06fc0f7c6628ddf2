import { AbortError } from '../errors.js';
import type { CommandSpec } from './command.js';
import { checkCommand } from './prose/check-command.js';
import { fmtCommand } from './prose/fmt-command.js';
import { runCommand } from './prose/run-command.js';
import { main as runMain, type Program } from './runner.js';

function notYet(name: string): NonNullable<CommandSpec['run']> {
  return async () => {
    throw new AbortError(`\`prose ${name}\` is not available yet in this version of choiros.`, {
      hint: 'The .prose language front end and interpreter are being built; see the README for what works today.',
    });
  };
}

export const prose: Program = {
  name: 'prose',
  describe: 'check, format and run OpenProse programs against real coding agents',
  commands: [
    runCommand,
    checkCommand,
    fmtCommand,
    {
      name: 'resume',
      describe: 'continue an interrupted run',
      positionals: [{ name: 'run-id', describe: 'the run to continue', required: true }],
      run: notYet('resume'),
    },
  ],
};

export function main(argv: readonly string[]): Promise<void> {
  return runMain(prose, argv);
}
