/**
 * The failure digest: what an agent (and the person reading the run folder in the morning) needs
 * to fix a failed iteration — the failing gates, the first failing tests with file:line and the
 * first error lines (the verdict's own digest), what the candidate changed since the last good
 * checkpoint, where the candidate is kept, and how the earlier attempts failed. Pure.
 */
import type { EarlierAttempt } from '../runtime/ports.js';

export interface DigestParts {
  /** The verdict's digest: gates, failures, error lines. */
  gates: string;
  /** The tree the candidate was compared with: a checkpoint name, or "the start of the run". */
  baseline: string | null;
  /** `git diff --stat` of the candidate against the baseline, as git prints it. */
  diffStat: string;
  /** The checkpoint holding the candidate. */
  candidate: string | null;
  earlier: readonly EarlierAttempt[];
}

const MAX_STAT_LINES = 12;
const MAX_EARLIER = 3;
const MAX_CHARS = 6000;

function statLines(stat: string): string[] {
  const lines = stat.split('\n').filter((l) => l.trim() !== '');
  if (lines.length <= MAX_STAT_LINES) return lines;
  // Keep the summary line (`3 files changed, …`), the last one git prints.
  return [...lines.slice(0, MAX_STAT_LINES - 2), `  … ${lines.length - MAX_STAT_LINES + 1} more files`, lines.at(-1) ?? ''];
}

/**
 *     verify failed: unit fail; lint pass
 *     unit: fail — 1 of 3 tests failed (exited 1, 412ms)
 *       - adds (test/math.test.js:10): expected 1 to be 2
 *     changes since checkpoint-20260130-120000:
 *       src/math.js | 2 +-
 *       1 file changed, 1 insertion(+), 1 deletion(-)
 *     candidate kept as checkpoint-20260130-121500
 *     earlier attempts:
 *       #1 (checkpoint-20260130-120500): verify failed: unit fail
 */
export function composeDigest(parts: DigestParts): string {
  const lines = [parts.gates.trimEnd()];
  const stat = statLines(parts.diffStat);
  if (parts.baseline !== null) {
    if (stat.length === 0) lines.push(`no changes since ${parts.baseline}`);
    else lines.push(`changes since ${parts.baseline}:`, ...stat.map((l) => `  ${l.trim()}`));
  }
  if (parts.candidate !== null) lines.push(`candidate kept as ${parts.candidate} (choiros rollback ${parts.candidate} restores it)`);
  const failed = parts.earlier.filter((e) => !e.passed).slice(-MAX_EARLIER);
  if (failed.length > 0) {
    lines.push('earlier attempts:');
    for (const e of failed) {
      const [head = '', ...rest] = e.summary.split('\n');
      lines.push(`  #${e.attempt}${e.candidate === null ? '' : ` (${e.candidate})`}: ${head}`, ...rest.slice(0, 2).map((r) => `    ${r.trim()}`));
    }
  }
  const text = lines.join('\n');
  return text.length <= MAX_CHARS ? text : `${text.slice(0, MAX_CHARS - 1)}…`;
}
