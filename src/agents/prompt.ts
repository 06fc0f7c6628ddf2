import type { AgentRequest } from '../runtime/ports.js';

export interface ComposeOptions {
  /** The agent takes the system prompt on its own (`--append-system-prompt`, `{system}`). */
  systemApart: boolean;
  /** The context goes to a file (`{context_file}`) instead of into the prompt. */
  contextApart: boolean;
  /** The agent continues its own conversation (claude `--resume`), so the memory need not be repeated. */
  resumesNatively: boolean;
}

export interface Composed {
  /** What the agent is asked, with whatever it cannot take separately folded in. */
  prompt: string;
  system: string | undefined;
  /** The context as one markdown document, for `{context_file}`. */
  contextDocument: string;
}

function section(title: string, body: string): string {
  return `## ${title}\n\n${body.trim()}`;
}

export function contextDocument(request: AgentRequest): string {
  return request.context.map((item) => `### ${item.name}\n\n${item.text.trim()}\n`).join('\n');
}

/**
 * The text an agent CLI receives: the session's prompt, then (unless the agent takes them apart)
 * the standing instructions, the context items by name, the memory of a resumed agent, and the
 * skills and permissions the program asks for.
 */
export function composePrompt(request: AgentRequest, options: ComposeOptions): Composed {
  const parts = [request.prompt.trim()];
  if (!options.systemApart && request.system !== undefined && request.system.trim() !== '') parts.unshift(section('Instructions', request.system));
  const document = contextDocument(request);
  if (!options.contextApart && document !== '') parts.push(section('Context', document));
  const memory = request.memory;
  if (memory !== undefined && memory.transcript.trim() !== '' && !(options.resumesNatively && memory.sessionId !== null)) {
    parts.push(section('Your earlier sessions', memory.transcript));
  }
  if (request.skills.length > 0) parts.push(section('Skills', request.skills.map((s) => `- ${s}`).join('\n')));
  const permissions = Object.entries(request.permissions);
  if (permissions.length > 0) parts.push(section('Permissions', permissions.map(([k, v]) => `- ${k}: ${Array.isArray(v) ? v.join(', ') || '(none)' : String(v)}`).join('\n')));
  return { prompt: parts.join('\n\n'), system: options.systemApart ? request.system : undefined, contextDocument: document };
}
