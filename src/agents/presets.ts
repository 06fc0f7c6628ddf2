import { basename } from 'node:path';
import type { AgentRequest } from '../runtime/ports.js';
import { claudeLiveLines, parseClaudeStream } from './claude-stream.js';
import { codexLiveLines, parseCodexJson } from './codex-json.js';
import { plainLiveLines, plainOutput, type AgentOutput } from './output.js';
import { composePrompt } from './prompt.js';
import { expandTemplate, PLACEHOLDERS, usesPlaceholder } from './template.js';

export const PRESETS = ['claude', 'codex', 'aider', 'goose', 'scripted', 'command'] as const;
export type PresetName = (typeof PRESETS)[number];

/** An agent of choiros.yaml `agents:`, as the adapters see it. */
export interface AgentSettings {
  name: string;
  preset: PresetName;
  /** The user's argv: a template with placeholders, or the base command a preset adds its flags to. */
  command: string[] | undefined;
  stdin: boolean | undefined;
  model: string | undefined;
  cwd: string | undefined;
  env: Record<string, string> | undefined;
  answers: string | undefined;
  timeoutMs: number;
  idleTimeoutMs: number;
}

export interface Invocation {
  argv: string[];
  stdin: string | undefined;
  /** Files to write before the run (the prompt for aider and goose, `{context_file}`), by path. */
  files: Map<string, string>;
}

/** Where an invocation may put its files (a private temp folder per call). */
export type FileFor = (name: string) => string;

export const BINARIES: Record<Exclude<PresetName, 'scripted' | 'command'>, string> = { claude: 'claude', codex: 'codex', aider: 'aider', goose: 'goose' };

/** A preset named by the settings, else inferred from the command's program name, else a plain command. */
export function inferPreset(preset: PresetName | undefined, command: readonly string[] | undefined): PresetName {
  if (preset !== undefined) return preset;
  const program = command?.[0] === undefined ? undefined : basename(command[0]);
  return (PRESETS as readonly string[]).includes(program ?? '') ? (program as PresetName) : command === undefined ? 'claude' : 'command';
}

/** The program's models (sonnet, opus, haiku) name Claude models; other CLIs get only the configured one. */
function modelFor(settings: AgentSettings, request: AgentRequest): string | undefined {
  if (settings.preset === 'claude' || settings.preset === 'aider' || settings.preset === 'command') return request.model ?? settings.model;
  return settings.model;
}

function isTemplate(settings: AgentSettings): boolean {
  return settings.command !== undefined && PLACEHOLDERS.some((p) => usesPlaceholder(settings.command ?? [], p));
}

/** claude's tools the program's `permissions:` deny. */
function claudeDenied(request: AgentRequest): string[] {
  const p = request.permissions;
  const denied: string[] = [];
  if (p.bash === 'deny') denied.push('Bash');
  if (p.network === 'deny') denied.push('WebFetch', 'WebSearch');
  if (Array.isArray(p.write) && p.write.length === 0) denied.push('Edit', 'Write', 'MultiEdit', 'NotebookEdit');
  return denied;
}

function template(settings: AgentSettings, request: AgentRequest, fileFor: FileFor): Invocation {
  const command = settings.command ?? [];
  const contextApart = usesPlaceholder(command, 'context_file');
  const composed = composePrompt(request, { systemApart: usesPlaceholder(command, 'system'), contextApart, resumesNatively: false });
  const files = new Map<string, string>();
  const contextFile = contextApart && composed.contextDocument !== '' ? fileFor('context.md') : undefined;
  if (contextFile !== undefined) files.set(contextFile, composed.contextDocument);
  const promptApart = usesPlaceholder(command, 'prompt') && settings.stdin !== true;
  const argv = expandTemplate(command, { prompt: promptApart ? composed.prompt : '', system: composed.system ?? '', model: modelFor(settings, request) ?? '', context_file: contextFile ?? '' });
  return { argv, stdin: promptApart ? undefined : composed.prompt, files };
}

function preset(settings: AgentSettings, request: AgentRequest, fileFor: FileFor): Invocation {
  const name = settings.preset === 'scripted' || settings.preset === 'command' ? 'claude' : settings.preset;
  const base = settings.command ?? [BINARIES[name]];
  const model = modelFor(settings, request);
  const files = new Map<string, string>();
  switch (name) {
    case 'claude': {
      const composed = composePrompt(request, { systemApart: true, contextApart: false, resumesNatively: true });
      const denied = claudeDenied(request);
      const args = ['-p', '--output-format', 'stream-json', '--verbose'];
      if (model !== undefined) args.push('--model', model);
      if (composed.system !== undefined && composed.system.trim() !== '') args.push('--append-system-prompt', composed.system);
      const resume = request.memory?.sessionId;
      if (resume !== undefined && resume !== null) args.push('--resume', resume);
      if (denied.length > 0) args.push('--disallowedTools', denied.join(','));
      return { argv: [...base, ...args], stdin: composed.prompt, files };
    }
    case 'codex': {
      const composed = composePrompt(request, { systemApart: false, contextApart: false, resumesNatively: false });
      return { argv: [...base, 'exec', '--json', ...(model === undefined ? [] : ['-m', model]), '-'], stdin: composed.prompt, files };
    }
    case 'aider':
    case 'goose': {
      // Long prompts go through a file: an argument is capped at 128 KiB by the kernel.
      const composed = composePrompt(request, { systemApart: false, contextApart: false, resumesNatively: false });
      const file = fileFor('prompt.md');
      files.set(file, composed.prompt);
      const args = name === 'aider' ? ['--message-file', file, '--yes-always', '--no-pretty', '--no-stream', ...(model === undefined ? [] : ['--model', model])] : ['run', '-i', file];
      return { argv: [...base, ...args], stdin: undefined, files };
    }
  }
}

/** The argv, stdin and files of one agent call. */
export function invocation(settings: AgentSettings, request: AgentRequest, fileFor: FileFor): Invocation {
  return isTemplate(settings) || settings.preset === 'command' ? template(settings, request, fileFor) : preset(settings, request, fileFor);
}

/** How the preset's output is read: the final answer, and the lines shown while it runs. */
export function outputReader(settings: AgentSettings): { parse(stdout: string): AgentOutput; live(line: string): string[] } {
  switch (settings.preset) {
    case 'claude':
      return { parse: parseClaudeStream, live: claudeLiveLines };
    case 'codex':
      return { parse: parseCodexJson, live: codexLiveLines };
    default:
      return { parse: plainOutput, live: plainLiveLines };
  }
}

/** The program an agent runs: the template's or base command's first word, else the preset's binary. */
export function binaryOf(settings: AgentSettings): string | undefined {
  if (settings.preset === 'scripted') return undefined;
  if (settings.command?.[0] !== undefined) return settings.command[0];
  return settings.preset === 'command' ? undefined : BINARIES[settings.preset];
}
