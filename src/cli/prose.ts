import { main as runMain, type Program } from './runner.js';
import { checkCommand } from './prose/check-command.js';
import { fmtCommand } from './prose/fmt-command.js';
import { resumeCommand } from './prose/resume-command.js';
import { runCommand } from './prose/run-command.js';

export const prose: Program = {
  name: 'prose',
  describe: 'check, format and run OpenProse programs against real coding agents',
  commands: [runCommand, checkCommand, fmtCommand, resumeCommand],
};

export function main(argv: readonly string[]): Promise<void> {
  return runMain(prose, argv);
}
