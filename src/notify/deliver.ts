import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-choiros-signature-256';

/** `sha256=<hex HMAC-SHA256 of the body>`, as GitHub signs its webhooks. */
export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface HttpResponse {
  status: number;
  /** Seconds or an HTTP date, from a 429 or 503. */
  retryAfter: string | null;
}

/** The one effect: an HTTP POST. Injected so that unit tests need no network. */
export type Post = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<HttpResponse>;

export const httpPost: Post = async (url, body, headers, timeoutMs) => {
  const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  await response.arrayBuffer().catch(() => undefined);
  return { status: response.status, retryAfter: response.headers.get('retry-after') };
};

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, timeoutMs: 10_000 };

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
}

/** 5xx, 408, 429 and network errors are worth another try; other 4xx are not. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function delayFor(policy: RetryPolicy, attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(policy.maxDelayMs, seconds * 1000);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** Posts with exponential backoff; never throws (a failure is a result). */
export async function deliver(post: Post, sleep: (ms: number) => Promise<void>, url: string, body: string, headers: Record<string, string>, policy: RetryPolicy): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: false, attempts: 0, status: null, error: null };
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let retryAfter: string | null = null;
    try {
      const response = await post(url, body, headers, policy.timeoutMs);
      if (response.status >= 200 && response.status < 300) return { ok: true, attempts: attempt, status: response.status, error: null };
      last = { ok: false, attempts: attempt, status: response.status, error: `HTTP ${response.status}` };
      if (!retryable(response.status)) return last;
      retryAfter = response.retryAfter;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      last = { ok: false, attempts: attempt, status: null, error: cause ?? (error instanceof Error ? error.message : String(error)) };
    }
    if (attempt < policy.attempts) await sleep(delayFor(policy, attempt, retryAfter));
  }
  return last;
}
