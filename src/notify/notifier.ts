/**
 * Tells people when a run needs them. The runner feeds every ledger event it writes to
 * `handle`, which returns at once: deliveries (with retries and backoff) run in the background
 * and record their outcome in the ledger — a `notify` event, and `webhook_notified_at` on the task.
 */
import { randomUUID } from 'node:crypto';
import type { NotifyConfig } from '../config/schema.js';
import type { TaskPatch } from '../ledger/ledger.js';
import type { LedgerEvent, Run, StoredEvent, Task } from '../ledger/model.js';
import { DEFAULT_RETRY, deliver, httpPost, sign, SIGNATURE_HEADER, sleepUnlessAborted, type DeliveryResult, type Post, type RetryPolicy, type Sleep } from './deliver.js';
import { HEALTH_STREAM } from '../health/record.js';
import { DEFAULT_NOTIFY_EVENTS, genericPayload, noticeOf, slackText, type Found, type Notice, type NoticePlaces } from './payload.js';
import { collectSecrets, envReferences, Redactor } from './redact.js';

/** What the notifier needs of the ledger (the Ledger class has all of it). */
export interface NotifierLedger {
  run(id: string): Run;
  findTask(id: number): Task | undefined;
  /** The run's tasks, to name the one a failed run failed on. */
  tasksOfRun?(runId: string): Task[];
  updateTask(id: number, patch: TaskPatch): Task;
  append(runId: string, event: LedgerEvent, taskId?: number | null): StoredEvent;
}

export interface NotifierOptions {
  targets: readonly NotifyConfig[];
  /** Read at send time, so a secret set after start-up is used and never cached in config. */
  env: NodeJS.ProcessEnv;
  ledger: NotifierLedger;
  post?: Post;
  sleep?: Sleep;
  now?: () => string;
  retry?: RetryPolicy;
  /**
   * Where a human looks next about a run (its folder, report, failure digest, page): payloads
   * link them. `stopped`: the run ended or waits for a human, so its report is written.
   */
  places?: (runId: string, stopped: boolean) => NoticePlaces;
  /** Failures, already redacted (for a log); the run never sees an exception from here. */
  onError?: (message: string) => void;
}

export interface Delivery extends DeliveryResult {
  target: string;
  event: Notice['event'];
}

/** How a target is named in the ledger and in messages: never by its URL, which is a secret. */
export function targetLabel(target: NotifyConfig, index: number): string {
  return `${target.kind}[${index}]`;
}

export class Notifier {
  private readonly inFlight = new Set<Promise<Delivery>>();
  /** Aborted by `drain` at its deadline: what is still in flight or waiting to retry is given up. */
  private readonly stop = new AbortController();
  private readonly post: Post;
  private readonly sleep: Sleep;
  private readonly now: () => string;

  constructor(private readonly options: NotifierOptions) {
    this.post = options.post ?? httpPost;
    this.sleep = options.sleep ?? sleepUnlessAborted;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** The redactor for this moment's environment: the targets' secrets and secret-named variables. */
  redactor(): Redactor {
    const configValues = this.options.targets.flatMap((t) => [t.url, ...(t.secret === undefined ? [] : [t.secret])]);
    return new Redactor(collectSecrets({ env: this.options.env, configValues }));
  }

  /** Starts the deliveries an event calls for and returns without waiting for them. */
  handle(stored: StoredEvent): void {
    const found = noticeOf(stored);
    if (found === undefined) return;
    const targets = this.options.targets.map((t, i) => [t, i] as const).filter(([t]) => (t.on ?? DEFAULT_NOTIFY_EVENTS).includes(found.event));
    if (targets.length === 0) return;
    const notice = this.noticeFor(stored, found);
    if (notice === undefined) return;
    for (const [target, index] of targets) {
      const delivery = this.send(target, index, notice);
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
  }

  /** The notice of an event: the run, the task it is about, where to look next; undefined when the run cannot be read. */
  private noticeFor(stored: StoredEvent, found: Found): Notice | undefined {
    // A score is the project's, not a run's: there is no run, task or run folder to name.
    if (found.health !== undefined) return { event: found.event, run: null, task: null, deviation: null, health: found.health, seq: stored.seq };
    try {
      const { ledger } = this.options;
      const run = ledger.run(stored.runId);
      const tasks = ledger.tasksOfRun?.(run.id) ?? [];
      // A run that failed names the task it failed on: its excerpt and outputs are what a human needs.
      const failedOn = stored.event.type === 'run.finished' && found.event === 'failed' ? tasks.findLast((t) => t.status === 'failed') : undefined;
      const task = found.taskId === null ? failedOn : ledger.findTask(found.taskId);
      const stopped = stored.event.type === 'run.finished' || found.event === 'awaiting_approval';
      return { event: found.event, run, task: task ?? null, deviation: found.deviation, seq: stored.seq, ...(this.options.places === undefined ? {} : { places: this.options.places(run.id, stopped) }) };
    } catch (error) {
      this.options.onError?.(this.redactor().redact(`notify: cannot read run ${stored.runId}: ${error instanceof Error ? error.message : String(error)}`));
      return undefined;
    }
  }

  /** Resolves when every delivery started so far has ended (for tests; a runner about to exit drains). */
  async idle(): Promise<Delivery[]> {
    const all: Delivery[] = [];
    while (this.inFlight.size > 0) all.push(...(await Promise.all([...this.inFlight])));
    return all;
  }

  /**
   * For a runner about to exit: waits up to `waitMs` for the deliveries in flight, then gives up
   * the rest — the request in flight is aborted, pending retries are dropped — and each is
   * recorded as not delivered before this resolves, so the ledger can be closed after it. What
   * `handle` is given afterwards is given up at once.
   */
  async drain(waitMs: number): Promise<Delivery[]> {
    const seconds = Math.round(waitMs / 100) / 10;
    const timer = setTimeout(() => this.stop.abort(new Error(`not delivered before the run's process exited (it waits ${seconds}s for webhooks)`)), waitMs);
    try {
      return await this.idle();
    } finally {
      clearTimeout(timer);
      if (!this.stop.signal.aborted) this.stop.abort(new Error('not delivered: the run\'s process was exiting'));
    }
  }

  private resolve(text: string, what: string): string {
    const missing = envReferences(text).filter((name) => (this.options.env[name] ?? '') === '');
    if (missing.length > 0) throw new Error(`${what} uses \${${missing.join('}, ${')}}, which is not set`);
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => this.options.env[name] ?? '');
  }

  private async send(target: NotifyConfig, index: number, notice: Notice): Promise<Delivery> {
    const label = targetLabel(target, index);
    const redactor = this.redactor();
    let result: DeliveryResult;
    try {
      const url = this.resolve(target.url, `${label} url`);
      const secret = target.secret === undefined ? undefined : this.resolve(target.secret, `${label} secret`);
      // Payloads leave the machine: what an agent printed is redacted like everything else.
      const body = JSON.stringify(redactor.redactDeep(target.kind === 'slack' ? { text: slackText(notice) } : genericPayload(notice)));
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'choiros', 'x-choiros-event': notice.event, 'x-choiros-delivery': randomUUID() };
      if (secret !== undefined) headers[SIGNATURE_HEADER] = sign(secret, body);
      result = await deliver(this.post, this.sleep, url, body, headers, this.options.retry ?? DEFAULT_RETRY, this.stop.signal);
    } catch (error) {
      result = { ok: false, attempts: 0, status: null, error: error instanceof Error ? error.message : String(error) };
    }
    this.record(label, notice, result, redactor);
    return { ...result, error: result.error === null ? null : redactor.redact(result.error), target: label, event: notice.event };
  }

  private record(label: string, notice: Notice, result: DeliveryResult, redactor: Redactor): void {
    try {
      this.options.ledger.append(notice.run?.id ?? HEALTH_STREAM, { type: 'notify', target: label, event: notice.event, ok: result.ok, attempts: result.attempts }, notice.task?.id ?? null);
      if (result.ok && notice.task !== null) this.options.ledger.updateTask(notice.task.id, { webhookNotifiedAt: this.now() });
      if (!result.ok) this.options.onError?.(redactor.redact(`notify ${label} (${notice.event}${notice.run === null ? '' : `, run ${notice.run.id}`}): ${result.error ?? 'failed'} after ${result.attempts} attempt(s)`));
    } catch (error) {
      this.options.onError?.(redactor.redact(`notify ${label}: cannot record the delivery: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
}
