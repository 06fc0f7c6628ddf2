/**
 * codex `exec --json`: JSON lines — `thread.started` (the thread id), `item.*` events whose items
 * are agent messages, reasoning, commands and file changes, `turn.completed` / `turn.failed`.
 * Older releases wrapped events as `{"msg": {"type": "agent_message", "message": …}}`; both are read.
 */
import type { AgentOutput } from './output.js';

interface CodexItem {
  type?: string;
  text?: string;
  command?: string;
  exit_code?: number;
}

interface CodexLine {
  type?: string;
  thread_id?: string;
  item?: CodexItem;
  message?: string;
  error?: { message?: string };
  msg?: { type?: string; message?: string; last_agent_message?: string };
}

function parseLine(line: string): CodexLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value !== null && typeof value === 'object' ? (value as CodexLine) : undefined;
  } catch {
    return undefined;
  }
}

export function codexLiveLines(line: string): string[] {
  const parsed = parseLine(line);
  if (parsed === undefined) return line.trim() === '' ? [] : [line];
  const item = parsed.item;
  if (parsed.type === 'item.completed' && item !== undefined) {
    if (item.type === 'agent_message' && item.text !== undefined) return item.text.split('\n');
    if (item.type === 'command_execution' && item.command !== undefined) return [`→ ${item.command}${item.exit_code === undefined ? '' : ` (exit ${item.exit_code})`}`];
  }
  if (parsed.msg?.type === 'agent_message' && parsed.msg.message !== undefined) return parsed.msg.message.split('\n');
  return [];
}

export function parseCodexJson(stdout: string): AgentOutput {
  let text: string | undefined;
  let sessionId: string | undefined;
  let error: string | undefined;
  let sawJson = false;
  for (const raw of stdout.split('\n')) {
    const parsed = parseLine(raw.trim());
    if (parsed === undefined) continue;
    sawJson = true;
    if (parsed.type === 'thread.started' && parsed.thread_id !== undefined) sessionId = parsed.thread_id;
    if (parsed.type === 'item.completed' && parsed.item?.type === 'agent_message' && parsed.item.text !== undefined) text = parsed.item.text;
    if (parsed.msg?.type === 'agent_message' && parsed.msg.message !== undefined) text = parsed.msg.message;
    if (parsed.msg?.type === 'task_complete' && parsed.msg.last_agent_message !== undefined) text = parsed.msg.last_agent_message;
    if (parsed.type === 'turn.failed' || parsed.type === 'error') error = parsed.error?.message ?? parsed.message ?? 'codex reported an error';
  }
  return { text: sawJson ? (text ?? '') : stdout.trim(), costUsd: undefined, sessionId, error };
}
