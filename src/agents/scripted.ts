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
 * project) gets the text, or is deleted for null. Every field is checked for its type when the
 * file is read, so a mistake stops the run before it starts rather than inside a session.
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

const KEYS = ['output', 'fail', 'exit_code', 'delay_ms', 'cost_usd', 'session_id', 'files'];

/** `true`, `42`, `"soon"`, a list: what was found, for a message. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/**
 * Reads and checks the answers file's data, naming `file` and the key path in every error, so a
 * wrong type stops the run before it starts (exit 2) instead of failing inside a session.
 */
class AnswerReader {
  constructor(private readonly file: string) {}

  error(where: string, message: string, hint?: string): UsageError {
    return new UsageError(`${this.file}: ${where}: ${message}`, hint === undefined ? {} : { hint });
  }

  answer(value: unknown, where: string): ScriptedAnswer {
    // A bare scalar is the reply: YAML reads `- 42` and `- yes` as a number and a boolean.
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { output: String(value) };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.error(where, `expected a reply (text) or a mapping of ${KEYS.join(', ')}, got ${shown(value)}`);
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).filter((k) => !KEYS.includes(k));
    if (unknown.length > 0) throw this.error(where, `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, `An answer is a string or {${KEYS.join(', ')}}.`);
    const answer: ScriptedAnswer = {};
    if (record.output !== undefined) answer.output = this.text(record.output, `${where}.output`, true);
    if (record.fail !== undefined) answer.fail = this.text(record.fail, `${where}.fail`, false, 'Write the failure message: `fail: "rate limited"`.');
    if (record.session_id !== undefined) answer.session_id = this.text(record.session_id, `${where}.session_id`, false);
    if (record.exit_code !== undefined) answer.exit_code = this.number(record.exit_code, `${where}.exit_code`, 'a whole number', (n) => Number.isInteger(n));
    if (record.delay_ms !== undefined) answer.delay_ms = this.number(record.delay_ms, `${where}.delay_ms`, 'milliseconds (a number, 0 or more)', (n) => n >= 0);
    if (record.cost_usd !== undefined) answer.cost_usd = this.number(record.cost_usd, `${where}.cost_usd`, 'dollars (a number, 0 or more)', (n) => n >= 0);
    if (record.files !== undefined) answer.files = this.files(record.files, `${where}.files`);
    return answer;
  }

  private text(value: unknown, where: string, scalars: boolean, hint?: string): string {
    if (typeof value === 'string') return value;
    if (scalars && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
    throw this.error(where, `expected text, got ${shown(value)}`, hint);
  }

  private number(value: unknown, where: string, expected: string, ok: (n: number) => boolean): number {
    if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return value;
    throw this.error(where, `expected ${expected}, got ${shown(value)}`);
  }

  private files(files: unknown, where: string): Record<string, string | null> {
    if (files === null || typeof files !== 'object' || Array.isArray(files)) throw this.error(where, 'expected a mapping of paths to text (or null to delete)');
    for (const [path, content] of Object.entries(files as Record<string, unknown>)) {
      if (path === '' || path.startsWith('/') || path.split(/[\\/]/).includes('..')) throw this.error(where, `'${path}' must be a relative path inside the project`);
      if (content !== null && typeof content !== 'string') throw this.error(`${where}['${path}']`, `expected text or null, got ${shown(content)}`);
    }
    return files as Record<string, string | null>;
  }
}

/** Validates parsed YAML/JSON into answers; `file` names it in errors. */
export function parseAnswers(data: unknown, file = 'scripted answers'): Answers {
  if (data === null || data === undefined) return new Map();
  const reader = new AnswerReader(file);
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file}: expected a mapping of agent names to answers, got ${shown(data)}`);
  const answers: Answers = new Map();
  for (const [agent, script] of Object.entries(data as Record<string, unknown>)) {
    if (Array.isArray(script)) answers.set(agent, script.map((a, i) => reader.answer(a, `${agent}[${i}]`)));
    else if (script !== null && typeof script === 'object' && Object.keys(script).every((k) => k === '*' || /^\d+$/.test(k))) {
      answers.set(agent, new Map(Object.entries(script as Record<string, unknown>).map(([k, a]) => [k, reader.answer(a, `${agent}.${k}`)])));
    } else answers.set(agent, reader.answer(script, agent));
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
