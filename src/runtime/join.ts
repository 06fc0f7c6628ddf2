import type { RunContext } from './context.js';
import { ProseError, RunStop } from './errors.js';
import type { Frame } from './frame.js';
import { Semaphore } from './semaphore.js';
import type { Value } from './values.js';

export interface JoinPolicy {
  /** all: every branch; first: the first to succeed wins; any: the first `count` to succeed. */
  strategy: 'all' | 'first' | 'any';
  /** fail-fast: the first failure cancels the rest; continue: all finish, then failures are an error; ignore: failures read as null. */
  onFail: 'fail-fast' | 'continue' | 'ignore';
  count: number;
  /** Branches running at once in this construct (`max: N`), on top of the run's agent limit. */
  max: number | undefined;
}

export const DEFAULT_POLICY: JoinPolicy = { strategy: 'all', onFail: 'fail-fast', count: 1, max: undefined };

export type Outcome = { ok: true; value: Value } | { ok: false; error: ProseError };

export interface Joined {
  /** By branch, in program order; undefined for a branch that lost (cancelled once the join was decided). */
  outcomes: Array<Outcome | undefined>;
  /** Branches whose success counts, in completion order. */
  winners: number[];
}

/** A lost branch's processes are ended; the reason tells its session not to count as a failure. */
const LOST = new RunStop('cancelled', 'another branch decided the join');

type Delivery = Outcome | { fatal: unknown };

/** The join's bookkeeping as branches arrive: what has won, what failed, whether it is decided. */
class Tally {
  decided = false;
  delivered = 0;
  fatal: unknown = undefined;
  failure: ProseError | undefined = undefined;
  readonly joined: Joined;

  constructor(
    private readonly size: number,
    private readonly policy: JoinPolicy,
    readonly needed: number,
    private readonly controllers: readonly AbortController[],
  ) {
    this.joined = { outcomes: new Array<Outcome | undefined>(size).fill(undefined), winners: [] };
  }

  /** Decided: the rest are cancelled (their outcomes no longer count). */
  decide(failure?: ProseError): void {
    this.decided = true;
    this.failure ??= failure;
    for (const controller of this.controllers) controller.abort(LOST);
  }

  deliver(index: number, delivery: Delivery): void {
    this.delivered += 1;
    if (this.decided) return;
    if ('fatal' in delivery) {
      this.fatal ??= delivery.fatal;
      // A pause or a gate waiting elsewhere lets the other branches reach their next step boundary.
      const gentle = delivery.fatal instanceof RunStop && (delivery.fatal.reason === 'paused' || delivery.fatal.reason === 'awaiting_approval');
      if (!gentle) this.decide();
      return;
    }
    const { policy, joined } = this;
    joined.outcomes[index] = delivery;
    if (delivery.ok) {
      joined.winners.push(index);
      if (policy.strategy !== 'all' && joined.winners.length >= this.needed) this.decide();
      return;
    }
    const unreachable = policy.strategy !== 'all' && joined.winners.length + (this.size - this.delivered) < this.needed;
    if (policy.onFail === 'fail-fast' && policy.strategy !== 'any') this.decide(delivery.error);
    else if (unreachable) this.decide(policy.onFail === 'fail-fast' ? delivery.error : undefined);
  }
}

/**
 * Runs branches concurrently and joins them by the policy. Losers (after `first`/`any` is
 * decided, or after a fail-fast failure) are cancelled — their agents' process trees are ended
 * — and the join waits for them to settle before it returns, so nothing outlives the construct.
 * Each branch passes the completion-order port after it finishes, so tests fix the order in
 * which the join sees them.
 */
export async function join(rc: RunContext, frame: Frame, site: string, size: number, run: (index: number, signal: AbortSignal) => Promise<Value>, policy: JoinPolicy): Promise<Joined> {
  const controllers = Array.from({ length: size }, () => new AbortController());
  const onParentAbort = () => controllers.forEach((c) => c.abort(frame.signal.reason));
  if (frame.signal.aborted) onParentAbort();
  else frame.signal.addEventListener('abort', onParentAbort, { once: true });
  const limit = policy.max === undefined ? undefined : new Semaphore(policy.max);
  const tally = new Tally(size, policy, policy.strategy === 'all' ? size : Math.min(policy.strategy === 'first' ? 1 : policy.count, size), controllers);

  const branch = async (index: number) => {
    const signal = (controllers[index] as AbortController).signal;
    let delivery: Delivery;
    try {
      const release = await limit?.acquire(signal);
      try {
        delivery = { ok: true, value: await run(index, signal) };
      } finally {
        release?.();
      }
    } catch (error) {
      delivery = error instanceof ProseError ? { ok: false, error } : { fatal: signal.reason === LOST ? LOST : error };
    }
    await rc.ports.completion?.arrive(site, index, signal);
    tally.deliver(index, delivery);
  };

  await Promise.all(Array.from({ length: size }, (_, i) => branch(i)));
  frame.signal.removeEventListener('abort', onParentAbort);
  if (tally.fatal !== undefined) throw tally.fatal;
  if (tally.failure !== undefined) throw tally.failure;
  return settle(tally.joined, policy, tally.needed, frame);
}

function settle(joined: Joined, policy: JoinPolicy, needed: number, frame: Frame): Joined {
  const failures = joined.outcomes.filter((o): o is Extract<Outcome, { ok: false }> => o !== undefined && !o.ok);
  const short = joined.winners.length < needed;
  if (policy.onFail === 'continue' && (policy.strategy === 'all' ? failures.length > 0 : short)) {
    const first = failures[0]?.error;
    const message = `${failures.length} of ${joined.outcomes.length} parallel branches failed${first === undefined ? '' : `: ${first.message}`}`;
    throw new ProseError('parallel', message, first?.site, first?.toValue());
  }
  if (short && policy.onFail === 'fail-fast') {
    const first = failures[0]?.error;
    throw new ProseError('parallel', `no parallel branch succeeded${first === undefined ? '' : `: ${first.message}`}`, first?.site);
  }
  if (frame.signal.aborted) throw frame.signal.reason instanceof Error ? frame.signal.reason : new RunStop('cancelled', 'cancelled');
  return joined;
}
