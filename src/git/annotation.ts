/**
 * The text choiros keeps in checkpoint tags and undo-handle commits: a human message, then one
 * paragraph of `Choiros-Key: value` trailers, so `git show checkpoint-…` reads well and the
 * fields parse back without a side file.
 */

export type Verdict = 'good' | 'bad' | 'unverified';

export const VERDICTS: readonly Verdict[] = ['good', 'bad', 'unverified'];

export function isVerdict(text: string): text is Verdict {
  return (VERDICTS as readonly string[]).includes(text);
}

export interface Annotation {
  message: string;
  verdict: Verdict;
  runId: string | undefined;
  /** False for a tag choiros did not write (an old `git tag checkpoint-…`): never pruned. */
  ours: boolean;
}

export interface ParsedTrailers {
  body: string;
  trailers: Map<string, string>;
}

const TRAILER = /^Choiros-([A-Za-z-]+): (.*)$/;

/** Trailer values are single lines: a run id or a path with a newline is flattened. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/** Splits a message into its body and the trailing `Choiros-*` paragraph, when there is one. */
export function parseTrailers(text: string): ParsedTrailers {
  const trimmed = text.replace(/\s+$/, '');
  const cut = trimmed.lastIndexOf('\n\n');
  const paragraph = cut < 0 ? trimmed : trimmed.slice(cut + 2);
  const lines = paragraph.split('\n');
  const trailers = new Map<string, string>();
  for (const line of lines) {
    const match = TRAILER.exec(line);
    if (match === null) return { body: trimmed, trailers: new Map() };
    trailers.set((match[1] ?? '').toLowerCase(), match[2] ?? '');
  }
  return { body: cut < 0 ? '' : trimmed.slice(0, cut), trailers };
}

export function formatTrailers(body: string, trailers: ReadonlyArray<readonly [string, string | undefined]>): string {
  const lines = trailers.filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => `Choiros-${key}: ${oneLine(value ?? '')}`);
  return `${body.replace(/\s+$/, '')}\n\n${lines.join('\n')}\n`;
}

export const DEFAULT_MESSAGE = 'checkpoint';

export function formatAnnotation(annotation: Omit<Annotation, 'ours'>): string {
  const message = annotation.message.trim() === '' ? DEFAULT_MESSAGE : annotation.message.trim();
  return formatTrailers(message, [
    ['Verdict', annotation.verdict],
    ['Run', annotation.runId],
  ]);
}

export function parseAnnotation(text: string): Annotation {
  const { body, trailers } = parseTrailers(text);
  const verdict = trailers.get('verdict');
  if (verdict === undefined || !isVerdict(verdict)) {
    return { message: firstLine(text), verdict: 'unverified', runId: undefined, ours: false };
  }
  return { message: body, verdict, runId: trailers.get('run'), ours: true };
}

/** Replaces the verdict of an annotation we wrote, keeping everything else. */
export function withVerdict(text: string, verdict: Verdict): string {
  const parsed = parseAnnotation(text);
  return formatAnnotation({ message: parsed.message, verdict, runId: parsed.runId });
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
