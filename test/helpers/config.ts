import { WindowSchema, type WindowConfig } from '../../src/config/schema.js';
import type { LaunchContext } from '../../src/tmux/launch.js';

type WindowInput = Parameters<typeof WindowSchema.parse>[0];

/** A window as the schema returns it (defaults filled, durations in ms). */
export function win(input: WindowInput): WindowConfig {
  return WindowSchema.parse(input);
}

export function launchCtx(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return {
    root: '/work/app',
    session: 'app',
    socket: 'choiros-app',
    home: '/home/u/.local/share/choiros',
    configFile: '/work/app/choiros.yaml',
    self: { node: '/usr/bin/node', script: '/opt/choiros/bin/choiros.js' },
    shell: '/bin/bash',
    windowEnv: new Map(),
    logFile: (w) => `/home/u/.local/share/choiros/logs/app/${w}.log`,
    ...overrides,
  };
}
