import type { CommandSpec } from './command.js';
import { main as runMain, type LazyCommand, type Program } from './runner.js';

function lazy(name: string, load: () => Promise<CommandSpec>): LazyCommand {
  return { name, load };
}

export const choiros: Program = {
  name: 'choiros',
  describe: 'run long, unattended, AI-assisted development safely',
  commands: [
    lazy('init', async () => (await import('./commands/init.js')).init),
    lazy('start', async () => (await import('./commands/start.js')).start),
    lazy('attach', async () => (await import('./commands/attach.js')).attach),
    lazy('status', async () => (await import('./commands/status.js')).status),
    lazy('stop', async () => (await import('./commands/stop.js')).stop),
    lazy('restart', async () => (await import('./commands/restart.js')).restart),
    lazy('logs', async () => (await import('./commands/logs.js')).logs),
    lazy('watch', async () => (await import('./commands/watch.js')).watch),
    lazy('checkpoint', async () => (await import('./commands/checkpoint.js')).checkpoint),
    lazy('checkpoints', async () => (await import('./commands/checkpoints.js')).checkpoints),
    lazy('rollback', async () => (await import('./commands/rollback.js')).rollback),
    lazy('runs', async () => (await import('./commands/runs.js')).runs),
    lazy('play', async () => (await import('./commands/play.js')).play),
    lazy('dashboard', async () => (await import('./commands/dashboard.js')).dashboard),
    lazy('pause', async () => (await import('./commands/control.js')).pause),
    lazy('cancel', async () => (await import('./commands/control.js')).cancel),
    lazy('approve', async () => (await import('./commands/approve.js')).approve),
    lazy('reject', async () => (await import('./commands/approve.js')).reject),
    lazy('doctor', async () => (await import('./commands/doctor.js')).doctor),
    lazy('health', async () => (await import('./commands/health.js')).health),
    lazy('metrics', async () => (await import('./commands/metrics.js')).metrics),
    lazy('monitor', async () => (await import('./commands/monitor.js')).monitor),
    lazy('serve', async () => (await import('./commands/serve.js')).serve),
    lazy('demo', async () => (await import('./commands/demo.js')).demo),
    lazy('config', async () => (await import('./commands/config.js')).config),
    lazy('supervise', async () => (await import('./commands/supervise.js')).supervise),
  ],
};

export function main(argv: readonly string[]): Promise<void> {
  return runMain(choiros, argv);
}
