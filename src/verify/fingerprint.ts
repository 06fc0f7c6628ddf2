import { createHash } from 'node:crypto';
import { stripAnsi } from '../util/ansi.js';
import type { Failure, GateVerdict } from './types.js';

/**
 * A stable hash of what failed, so the loop can tell "the same failure three times" and stop
 * asking an agent to fix what it cannot. It hashes the failing gates with their status, the
 * failing test ids (gate, file, name: no line numbers, which move with every edit), lint
 * problems (file and rule), gate-level reasons, and — for a gate with no failing test or lint
 * problem to name — its first error line. The first error line of a gate that does name tests
 * is left out on purpose: parallel runners print failures in a different order on every run.
 * Everything that changes from run to run without the failure changing is normalized away:
 * temp dirs, timestamps, durations, hex ids, and every other number.
 */
export function failureFingerprint(gates: readonly GateVerdict[]): string | null {
  const failing = gates.filter((g) => !g.passed);
  if (failing.length === 0) return null;
  const parts = failing.flatMap((g) => {
    const namesSomething = g.failures.some((f) => f.kind !== 'gate');
    const firstError = !namesSomething && g.excerpt[0] !== undefined ? [`error ${g.gate} ${normalizeText(g.excerpt[0])}`] : [];
    return [`status ${g.gate} ${g.status}`, ...new Set(g.failures.map(failureId)), ...firstError];
  });
  return createHash('sha256').update(parts.sort().join('\n')).digest('hex').slice(0, 16);
}

function failureId(f: Failure): string {
  switch (f.kind) {
    case 'test':
      return `test ${f.gate} ${normalizeText(f.file ?? '')} ${normalizeText(f.test ?? '')}`;
    case 'lint':
      // `warning no-unused-vars: 'x' is …`: the severity and rule, not the wording.
      return `lint ${f.gate} ${normalizeText(f.file ?? '')} ${normalizeText(f.message.split(':')[0] ?? '')}`;
    case 'gate':
      return `gate ${f.gate} ${normalizeText(f.message)}`;
  }
}

/** Text with what varies between runs of the same failure replaced by placeholders. */
export function normalizeText(text: string): string {
  return stripAnsi(text)
    .replace(/(?:\/private)?\/(?:tmp|var\/folders|var\/tmp)\/[^\s'"`:)\]]*/g, '<tmp>')
    .replace(/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<time>')
    .replace(/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>')
    .replace(/\b\d+(?:\.\d+)?\s?(?:ms|µs|ns|s|sec|secs|seconds?|m|min|minutes?|h)\b/g, '<duration>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}
