import { attach } from './commands/attach.js';
import { checkpoint } from './commands/checkpoint.js';
import { checkpoints } from './commands/checkpoints.js';
import { config } from './commands/config.js';
import { init } from './commands/init.js';
import { logs } from './commands/logs.js';
import { restart } from './commands/restart.js';
import { rollback } from './commands/rollback.js';
import { start } from './commands/start.js';
import { status } from './commands/status.js';
import { stop } from './commands/stop.js';
import { supervise } from './commands/supervise.js';
import { watch } from './commands/watch.js';
import { main as runMain, type Program } from './runner.js';

export const choiros: Program = {
  name: 'choiros',
  describe: 'run long, unattended, AI-assisted development safely',
  commands: [init, start, attach, status, stop, restart, logs, watch, checkpoint, checkpoints, rollback, config, supervise],
};

export function main(argv: readonly string[]): Promise<void> {
  return runMain(choiros, argv);
}
