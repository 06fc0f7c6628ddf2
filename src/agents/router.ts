import type { AgentConfig } from '../config/schema.js';
import type { AgentCallIo, AgentPort, AgentRequest, AgentResult } from '../runtime/ports.js';
import { splitCommand } from '../runtime/argv.js';
import { inferPreset, type AgentSettings } from './presets.js';

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_IDLE_MS = 5 * 60_000;

/** choiros.yaml `agents:` as settings by name; without a `default`, the claude preset serves. */
export function agentSettings(agents: Readonly<Record<string, AgentConfig>> | undefined): Map<string, AgentSettings> {
  const settings = new Map<string, AgentSettings>();
  for (const [name, config] of Object.entries(agents ?? {})) {
    const command = config.command === undefined ? undefined : typeof config.command === 'string' ? splitCommand(config.command, [], () => undefined) : [...config.command];
    settings.set(name, {
      name,
      preset: inferPreset(config.preset, command),
      command,
      stdin: config.stdin,
      model: config.model,
      cwd: config.cwd,
      env: config.env,
      answers: config.answers,
      timeoutMs: config.timeout,
      idleTimeoutMs: config.idle_timeout,
    });
  }
  if (!settings.has('default')) {
    settings.set('default', { name: 'default', preset: 'claude', command: undefined, stdin: undefined, model: undefined, cwd: undefined, env: undefined, answers: undefined, timeoutMs: DEFAULT_TIMEOUT_MS, idleTimeoutMs: DEFAULT_IDLE_MS });
  }
  return settings;
}

/**
 * Sends each session to its adapter: the choiros.yaml agent named like the program's agent
 * (`session: reviewer` → `agents.reviewer`), else `default`. Adapters are made once, on first use.
 */
export class AgentRouter implements AgentPort {
  private readonly adapters = new Map<string, AgentPort>();

  constructor(
    readonly settings: ReadonlyMap<string, AgentSettings>,
    private readonly make: (settings: AgentSettings) => AgentPort,
  ) {}

  /** The settings that serve a program agent. */
  resolve(agent: string): AgentSettings {
    const found = this.settings.get(agent) ?? this.settings.get('default');
    if (found === undefined) throw new Error('agent settings without a default');
    return found;
  }

  run(request: AgentRequest, io: AgentCallIo): Promise<AgentResult> {
    const settings = this.resolve(request.agent);
    let adapter = this.adapters.get(settings.name);
    if (adapter === undefined) {
      adapter = this.make(settings);
      this.adapters.set(settings.name, adapter);
    }
    return adapter.run(request, io);
  }
}
