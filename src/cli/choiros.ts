import { attach } from './commands/attach.js';
import { checkpoint } from './commands/checkpoint.js';
import { checkpoints } from './commands/checkpoints.js';
import { config } from './commands/config.js';
import { dashboard } from './commands/dashboard.js';
import { cancel, pause } from './commands/control.js';
import { health } from './commands/health.js';
import { init } from './commands/init.js';
import { logs } from './commands/logs.js';
import { metrics } from './commands/metrics.js';
import { monitor } from './commands/monitor.js';
import { play } from './commands/play.js';
import { restart } from './commands/restart.js';
import { rollback } from './commands/rollback.js';
import { runs } from './commands/runs.js';
import { start } from './commands/start.js';
import { status } from './commands/status.js';
import { stop } from './commands/stop.js';
import { supervise } from './commands/supervise.js';
import { watch } from './commands/watch.js';
import { main as runMain, type Program } from './runner.js';

export const choiros: Program = {
  name: 'choiros',
  describe: 'run long, unattended, AI-assisted development safely',
  commands: [
    init,
    start,
    attach,
    status,
    stop,
    restart,
    logs,
    watch,
    checkpoint,
    checkpoints,
    rollback,
    runs,
    play,
    dashboard,
    pause,
    cancel,
    health,
    metrics,
    monitor,
    config,
    supervise,
  ],
};

export function main(argv: readonly string[]): Promise<void> {
  return runMain(choiros, argv);
}
