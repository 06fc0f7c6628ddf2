import { DefaultOracle } from '../runtime/oracles.js';
import type { AgentPort, Answer, Oracle, Question } from '../runtime/ports.js';
import { fileSafe } from '../runtime/step-key.js';
import { toText } from '../runtime/values.js';

const SYSTEM = 'You judge conditions for a program that drives coding agents. You answer exactly as asked, with no explanation.';
const MAX_BINDINGS = 40;
const MAX_VALUE = 600;

function bindings(question: Question): string {
  const lines = [...question.bindings].slice(0, MAX_BINDINGS).map(([name, value]) => {
    const text = toText(value).replace(/\s+/g, ' ');
    return `- ${name} = ${text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text}`;
  });
  return lines.length === 0 ? '' : `\n\nWhat the program knows now:\n${lines.join('\n')}`;
}

/** The question put to the judge agent: strict yes/no, or exactly one of the options. */
export function judgePrompt(question: Question, again: boolean): string {
  const ask = question.kind === 'yes-no' ? 'Answer with exactly one word: yes or no.' : `Answer with exactly one of these options, as written: ${question.options.map((o) => JSON.stringify(o)).join(', ')}.`;
  const retry = again ? 'Your previous answer could not be read. ' : '';
  return `${retry}${ask}\n\nQuestion: ${question.text}${bindings(question)}`;
}

/** The judge's answer, or undefined when it did not answer as asked. */
export function readAnswer(question: Question, text: string): Answer | undefined {
  const cleaned = text.trim().replace(/^["'`*_\s]+|["'`*_.!\s]+$/g, '');
  if (question.kind === 'yes-no') {
    const word = /^([a-z]+)/i.exec(cleaned)?.[1]?.toLowerCase();
    if (word === 'yes' || word === 'true') return true;
    if (word === 'no' || word === 'false') return false;
    return undefined;
  }
  const lower = cleaned.toLowerCase();
  return question.options.find((o) => o.toLowerCase() === lower) ?? question.options.find((o) => lower.startsWith(o.toLowerCase()));
}

/**
 * The oracle that asks the `judge` agent (choiros.yaml `judge: {agent: …}`). A reply it cannot
 * read is asked once more; after that the default policy answers and a warning says so.
 */
export class JudgeOracle implements Oracle {
  private readonly fallback = new DefaultOracle();

  constructor(
    private readonly agents: AgentPort,
    private readonly agent: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  async decide(question: Question, signal: AbortSignal): Promise<Answer> {
    let why = 'answer could not be read';
    for (const again of [false, true]) {
      const logName = `judge-${fileSafe(question.site)}-${question.iteration}${again ? '-again' : ''}`;
      const request = { agent: this.agent, prompt: judgePrompt(question, again), system: SYSTEM, model: undefined, context: [], skills: [], permissions: {}, timeoutMs: undefined, memory: undefined, logName };
      const result = await this.agents.run(request, { signal, onOutput: () => {} });
      if (signal.aborted) return this.fallback.decide(question);
      const answer = result.ok ? readAnswer(question, result.text) : undefined;
      if (answer !== undefined) return answer;
      if (!result.ok) {
        why = `agent failed (${result.error ?? 'no answer'})`;
        break;
      }
    }
    this.warn(`the judge's ${why}; the default policy answers "${question.text}"`);
    return this.fallback.decide(question);
  }
}
