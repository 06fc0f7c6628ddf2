import { formatDuration } from '../config/units.js';
import type { RunContext } from './context.js';
import { RunStop } from './errors.js';

/** The `timeout:` of the phase running now: when it passes on the clock port's scale, and the stop it became. */
export interface PhaseLimit {
  stage: string;
  limitMs: number;
  at: number;
  stop: RunStop | undefined;
  cancel(): void;
}

/**
 * A phase's `timeout:` is a hard cap, like an agent's timeout and the run's deadline: once it
 * passes, the run stops at a limit (exit 3) with a StageTimeout deviation recorded, and
 * `prose resume` goes on with the phase, which gets its whole time again. It is checked before
 * every step (exact on the clock port) and, when the clock has an alarm (the real one does), the
 * run is also stopped mid-step, so an agent that hangs is not waited for.
 */
export function armPhaseLimit(rc: RunContext, stage: string, limitMs: number): void {
  const limit: PhaseLimit = { stage, limitMs, at: rc.ports.clock.now() + limitMs, stop: undefined, cancel: () => {} };
  rc.phaseLimit = limit;
  limit.cancel = rc.ports.clock.alarm?.(limitMs, () => rc.abort(reach(rc, limit))) ?? (() => {});
}

export function disarmPhaseLimit(rc: RunContext): void {
  rc.phaseLimit?.cancel();
  rc.phaseLimit = undefined;
}

/** The stop of a phase that is past its limit at `now`, if it is. */
export function phaseLimitReached(rc: RunContext, now: number): RunStop | undefined {
  const limit = rc.phaseLimit;
  return limit === undefined || now < limit.at ? undefined : reach(rc, limit);
}

/** Made once per phase run: the deviation is recorded when the limit is first seen to have passed. */
function reach(rc: RunContext, limit: PhaseLimit): RunStop {
  if (limit.stop === undefined) {
    const text = formatDuration(limit.limitMs);
    limit.stop = new RunStop('limit', `phase ${limit.stage} ran past its timeout of ${text}`);
    rc.stopping = limit.stop;
    rc.ports.journal.deviation?.({ kind: 'StageTimeout', stage: limit.stage, detail: `stopped at its ${text} limit` });
  }
  return limit.stop;
}
