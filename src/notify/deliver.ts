import { createHmac } from 'node:crypto';
import { httpRequest } from '../net/http.js';
import { sleep } from '../util/sleep.js';

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

/** The one effect: an HTTP POST, ended early when `signal` aborts. Injected so that unit tests need no network. */
export type Post = (url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal) => Promise<HttpResponse>;

export const httpPost: Post = async (url, body, headers, timeoutMs, signal) => {
  const limit = AbortSignal.timeout(timeoutMs);
  const answer = await httpRequest(url, { method: 'POST', body, headers, signal: signal === undefined ? limit : AbortSignal.any([limit, signal]) }).catch((error: unknown) => {
    // Node's abort error says only ABORT_ERR: a timeout is worth naming as one.
    throw limit.aborted && signal?.aborted !== true ? new Error(`no answer within ${timeoutMs} ms`) : error;
  });
  const retryAfter = answer.headers['retry-after'];
  return { status: answer.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
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

/** Certificates the request does not trust, and TLS refused outright (node's and OpenSSL's codes): a retry a minute later would fare no better. */
const CERTIFICATE_REFUSED = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
  // TLS spoken to a port that does not (an https URL for a plain HTTP server).
  'EPROTO',
]);

function delayFor(policy: RetryPolicy, attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(policy.maxDelayMs, seconds * 1000);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** A pause between attempts that ends early, without throwing, when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleepUnlessAborted: Sleep = sleep;

// A function, not `signal?.aborted` inline: TypeScript would keep the narrowing from the check
// before an await and call the check after it always false.
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Why deliveries were given up: the abort's reason when it is an Error, else a plain word. */
function abandoned(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'abandoned';
}

/**
 * Posts with exponential backoff; never throws (a failure is a result). When `signal` aborts —
 * the runner is about to exit — the attempt in flight and the pending retries are given up at
 * once and the result says so.
 */
export async function deliver(post: Post, sleep: Sleep, url: string, body: string, headers: Record<string, string>, policy: RetryPolicy, signal?: AbortSignal): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: false, attempts: 0, status: null, error: null };
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (signal !== undefined && aborted(signal)) return { ...last, error: `${abandoned(signal)}${last.error === null ? '' : ` (last: ${last.error})`}` };
    let retryAfter: string | null = null;
    try {
      const response = await post(url, body, headers, policy.timeoutMs, signal);
      if (response.status >= 200 && response.status < 300) return { ok: true, attempts: attempt, status: response.status, error: null };
      last = { ok: false, attempts: attempt, status: response.status, error: `HTTP ${response.status}` };
      if (!retryable(response.status)) return last;
      retryAfter = response.retryAfter;
    } catch (error) {
      if (signal !== undefined && aborted(signal)) return { ok: false, attempts: attempt, status: null, error: `${abandoned(signal)} (attempt ${attempt} had no answer yet)` };
      const code = (error as { code?: unknown }).code;
      last = { ok: false, attempts: attempt, status: null, error: typeof code === 'string' ? code : error instanceof Error ? error.message : String(error) };
      if (typeof code === 'string' && CERTIFICATE_REFUSED.has(code)) return last;
    }
    if (attempt < policy.attempts) await sleep(delayFor(policy, attempt, retryAfter), signal);
  }
  return last;
}
