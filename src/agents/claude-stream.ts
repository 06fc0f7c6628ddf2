/**
 * claude `-p --output-format stream-json --verbose`: one JSON object per line — `system` (init),
 * `assistant` / `user` messages with text and tool calls, and a final `result` with the answer,
 * the cost and the session id (which `resume:` passes back with `--resume`).
 */
import type { AgentOutput } from './output.js';

interface ContentBlock {
  type?: string;
  text?: string;
  name?: string;
  input?: Record<string, unknown>;
}

interface StreamLine {
  type?: string;
  subtype?: string;
  result?: string;
  is_error?: boolean;
  total_cost_usd?: number;
  cost_usd?: number;
  session_id?: string;
  message?: { content?: ContentBlock[] | string };
}

function parseLine(line: string): StreamLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value !== null && typeof value === 'object' ? (value as StreamLine) : undefined;
  } catch {
    return undefined;
  }
}

function toolSummary(block: ContentBlock): string {
  const input = block.input ?? {};
  const detail = input.command ?? input.file_path ?? input.path ?? input.pattern ?? input.url ?? input.description;
  return `→ ${block.name ?? 'tool'}${typeof detail === 'string' ? `: ${detail.split('\n')[0]}` : ''}`;
}

/** What a person watching the run should see of one line: the assistant's words and its tool calls. */
export function claudeLiveLines(line: string): string[] {
  const parsed = parseLine(line);
  if (parsed === undefined) return line.trim() === '' ? [] : [line];
  if (parsed.type === 'assistant' && Array.isArray(parsed.message?.content)) {
    return parsed.message.content.flatMap((block) => (block.type === 'text' && block.text !== undefined ? block.text.split('\n') : block.type === 'tool_use' ? [toolSummary(block)] : []));
  }
  if (parsed.type === 'result') return [`✓ done${typeof parsed.total_cost_usd === 'number' ? ` ($${parsed.total_cost_usd.toFixed(4)})` : ''}`];
  return [];
}

/** The final answer of a stream; without a `result` line, the assistant's last words (or the raw output). */
export function parseClaudeStream(stdout: string): AgentOutput {
  let lastText: string | undefined;
  let sawJson = false;
  for (const line of stdout.split('\n')) {
    const parsed = parseLine(line.trim());
    if (parsed === undefined) continue;
    sawJson = true;
    if (parsed.type === 'result') {
      const text = parsed.result ?? lastText ?? '';
      const failed = parsed.is_error === true || (parsed.subtype !== undefined && parsed.subtype !== 'success');
      return {
        text,
        costUsd: parsed.total_cost_usd ?? parsed.cost_usd,
        sessionId: parsed.session_id,
        error: failed ? `claude reported ${parsed.subtype ?? 'an error'}${text === '' ? '' : `: ${text.split('\n')[0]}`}` : undefined,
      };
    }
    if (parsed.type === 'assistant' && Array.isArray(parsed.message?.content)) {
      const text = parsed.message.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
      if (text !== '') lastText = text;
    }
  }
  return { text: sawJson ? (lastText ?? '') : stdout.trim(), costUsd: undefined, sessionId: undefined, error: undefined };
}
