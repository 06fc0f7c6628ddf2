/**
 * The scripted agent: answers from a YAML/JSON file keyed by agent and call number, for tests,
 * demos and dry runs. Pure apart from waiting (`delay_ms`): the file is read by the caller.
 *
 *   builder:                      # the program's agent name (`default` for sessions without one)
 *     - "first reply"             # call 1
 *     - { fail: "rate limited" }  # call 2 fails (the session may retry)
 *   reviewer:
 *     1: "looks good"
 *     "*": "any other call"
 *   "*": "every agent not listed"
 *   fixer:
 *     - output: "fixed the test"
 *       files: { "src/add.js": "export const add = (a, b) => a + b;\n", "old.txt": null }
 *
 * `files` makes the call edit the project as a real agent would: each path (relative, inside the
 * project) gets the text, or is deleted for null.
 */
import { UsageError } from '../errors.js';
import type { AgentCallIo, AgentPort, AgentRequest, AgentResult } from '../runtime/ports.js';
import { sleep as realSleep } from '../util/sleep.js';

export interface ScriptedAnswer {
  output?: string;
  /** The call fails with this message. */
  fail?: string;
  exit_code?: number;
  /** Waits this long first (cancellation ends the wait). */
  delay_ms?: number;
  cost_usd?: number;
  session_id?: string;
  /** Files the call writes (text) or deletes (null), relative to the project root. */
  files?: Record<string, string | null>;
}

/** Where a scripted call's file edits land; injected so tests can watch them. */
export type FileEditor = (path: string, content: string | null) => void;

/** Per agent: a list (call n is item n), numbered calls with `*` for the rest, or one answer for every call. */
export type AgentScript = ScriptedAnswer[] | Map<string, ScriptedAnswer> | ScriptedAnswer;

export type Answers = Map<string, AgentScript>;

function answerOf(value: unknown, where: string): ScriptedAnswer {
  if (typeof value === 'string') return { output: value };
  if (typeof value === 'number' || typeof value === 'boolean') return { output: String(value) };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const known = ['output', 'fail', 'exit_code', 'delay_ms', 'cost_usd', 'session_id', 'files'];
    const unknown = Object.keys(record).filter((k) => !known.includes(k));
    if (unknown.length === 0) {
      checkFiles(record.files, where);
      return record as ScriptedAnswer;
    }
    throw new UsageError(`scripted answers: ${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, { hint: `An answer is a string or {${known.join(', ')}}.` });
  }
  throw new UsageError(`scripted answers: ${where}: expected a string or an object`);
}

function checkFiles(files: unknown, where: string): void {
  if (files === undefined) return;
  if (files === null || typeof files !== 'object' || Array.isArray(files)) throw new UsageError(`scripted answers: ${where}.files: expected a mapping of paths to text (or null to delete)`);
  for (const [path, content] of Object.entries(files as Record<string, unknown>)) {
    if (path === '' || path.startsWith('/') || path.split(/[\\/]/).includes('..')) throw new UsageError(`scripted answers: ${where}.files: '${path}' must be a relative path inside the project`);
    if (content !== null && typeof content !== 'string') throw new UsageError(`scripted answers: ${where}.files['${path}']: expected text or null`);
  }
}

/** Validates parsed YAML/JSON into answers. */
export function parseAnswers(data: unknown): Answers {
  if (data === null || data === undefined) return new Map();
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError('scripted answers: expected a mapping of agent names to answers');
  const answers: Answers = new Map();
  for (const [agent, script] of Object.entries(data as Record<string, unknown>)) {
    if (Array.isArray(script)) answers.set(agent, script.map((a, i) => answerOf(a, `${agent}[${i + 1}]`)));
    else if (script !== null && typeof script === 'object' && Object.keys(script).every((k) => k === '*' || /^\d+$/.test(k))) {
      answers.set(agent, new Map(Object.entries(script as Record<string, unknown>).map(([k, a]) => [k, answerOf(a, `${agent}.${k}`)])));
    } else answers.set(agent, answerOf(script, agent));
  }
  return answers;
}

export interface ScriptedCall {
  agent: string;
  /** 1-based, counted per agent. */
  call: number;
  request: AgentRequest;
}

export class ScriptedAgent implements AgentPort {
  readonly calls: ScriptedCall[] = [];
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly answers: Answers = new Map(),
    private readonly wait: (ms: number, signal: AbortSignal) => Promise<void> = realSleep,
    private readonly edit: FileEditor | undefined = undefined,
  ) {}

  private answer(agent: string, call: number): ScriptedAnswer | undefined {
    const script = this.answers.get(agent) ?? this.answers.get('*');
    if (script === undefined) return undefined;
    if (Array.isArray(script)) return script[call - 1];
    if (script instanceof Map) return script.get(String(call)) ?? script.get('*');
    return script;
  }

  async run(request: AgentRequest, io: AgentCallIo): Promise<AgentResult> {
    const call = (this.counts.get(request.agent) ?? 0) + 1;
    this.counts.set(request.agent, call);
    this.calls.push({ agent: request.agent, call, request });
    const answer = this.answer(request.agent, call) ?? { output: `scripted reply ${call} from ${request.agent}` };
    if (answer.delay_ms !== undefined) await this.wait(answer.delay_ms, io.signal);
    const base = { durationMs: answer.delay_ms ?? 0, costUsd: answer.cost_usd, sessionId: answer.session_id, logFile: undefined };
    if (io.signal.aborted) return { ...base, ok: false, text: '', error: 'cancelled', exitCode: undefined };
    if (answer.fail !== undefined) {
      io.onOutput(`${answer.fail}\n`);
      return { ...base, ok: false, text: answer.output ?? '', error: answer.fail, exitCode: answer.exit_code ?? 1 };
    }
    for (const [path, content] of Object.entries(answer.files ?? {})) {
      if (this.edit === undefined) throw new UsageError(`scripted answers: ${request.agent} call ${call} edits files, but this run cannot write them (a dry run?)`);
      this.edit(path, content);
      io.onOutput(`${content === null ? 'deleted' : 'wrote'} ${path}\n`);
    }
    const text = answer.output ?? '';
    if (text !== '') io.onOutput(text.endsWith('\n') ? text : `${text}\n`);
    return { ...base, ok: true, text, error: undefined, exitCode: answer.exit_code ?? 0 };
  }
}
