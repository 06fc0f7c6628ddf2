import { UsageError } from '../errors.js';
import type { Answer, Oracle, Question } from './ports.js';
import { isTruthy } from './values.js';

/**
 * The default policy: every yes/no question gets the answer that keeps the program on its
 * quiet path (if → no, until → no and while → yes, so a loop runs to its `max`; filter and
 * assert → yes), and a choice takes its first option.
 */
export class DefaultOracle implements Oracle {
  async decide(question: Question, _signal?: AbortSignal): Promise<Answer> {
    return question.kind === 'yes-no' ? question.fallback : (question.options[0] ?? '');
  }
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Answers from a file (`prose run --answers FILE`), keyed by the question's text (as written
 * between the markers, whitespace and case ignored) or by its site (`14:1`). A list is used in
 * order, one answer per time the question is asked; a single value answers every time.
 * Questions it has no answer for go to the default policy.
 *
 *   "the reviewer approves the change": [no, no, yes]
 *   "which report format suits the audience": Long
 */
export class ScriptedOracle implements Oracle {
  private readonly answers = new Map<string, unknown>();
  private readonly used = new Map<string, number>();
  private readonly fallback = new DefaultOracle();

  constructor(data: unknown) {
    if (data === null || data === undefined) return;
    if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError('oracle answers: expected a mapping of questions to answers');
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) this.answers.set(normalize(key), value);
  }

  async decide(question: Question, signal: AbortSignal): Promise<Answer> {
    const key = this.answers.has(normalize(question.site)) ? normalize(question.site) : normalize(question.text);
    const script = this.answers.get(key);
    let answer: unknown = script;
    if (Array.isArray(script)) {
      const n = this.used.get(key) ?? 0;
      this.used.set(key, n + 1);
      answer = script[n];
    }
    if (answer === undefined || answer === null) return this.fallback.decide(question, signal);
    if (question.kind === 'pick') return String(answer);
    return typeof answer === 'boolean' ? answer : isTruthy(String(answer));
  }
}
