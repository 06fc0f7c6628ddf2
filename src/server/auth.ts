/**
 * Who may do what. Three credentials, one rule each:
 * - the API token (`Authorization: Bearer …`) — scripts and orchestrators; never given to a page;
 * - a browser session (an HttpOnly, SameSite=Strict cookie holding a random id unrelated to the
 *   token), obtained with a one-time login code that `choiros serve` prints, or by pasting the
 *   token into the sign-in form once; mutations with it must also come from the page's own
 *   origin, because cookies ignore ports and another local web app is "same-site";
 * - nothing — reads on a loopback bind only, and only for a Host header naming this server
 *   (DNS rebinding would otherwise let any web page read the ledger).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { HttpError } from './http.js';

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison (the digests have equal length whatever the input). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export const LOGIN_CODE_TTL_MS = 15 * 60_000;
const MAX_SESSIONS = 1000;

/** One-time login codes and the browser sessions they open; kept in memory, gone with the server. */
export class Sessions {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new one-time code, valid for LOGIN_CODE_TTL_MS. */
  issueCode(): string {
    const code = randomBytes(18).toString('base64url');
    this.codes.set(code, this.now() + LOGIN_CODE_TTL_MS);
    return code;
  }

  /** Spends a code: true once, for a code issued and not expired. */
  redeem(code: string): boolean {
    for (const [known, expires] of this.codes) {
      if (expires < this.now()) this.codes.delete(known);
      else if (sameSecret(code, known)) {
        this.codes.delete(known);
        return true;
      }
    }
    return false;
  }

  open(): string {
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, this.now());
    return id;
  }

  has(id: string | undefined): boolean {
    return id !== undefined && this.sessions.has(id);
  }

  close(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export interface AuthPolicy {
  token: string;
  sessions: Sessions;
  /** The cookie's name carries the port: two servers on one host keep their sessions apart. */
  cookieName: string;
  /** Loopback bind: reads need no credential. */
  openReads: boolean;
  /** Host header values that name this server; undefined accepts any (a non-loopback bind, where every request is authenticated). */
  allowedHosts: ReadonlySet<string> | undefined;
}

export type Caller = { kind: 'token' } | { kind: 'session'; id: string } | { kind: 'anonymous' };

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Who is asking; a wrong token is refused outright rather than treated as anonymous. */
export function identify(req: IncomingMessage, policy: AuthPolicy): Caller {
  const host = req.headers.host ?? '';
  if (policy.allowedHosts !== undefined && !policy.allowedHosts.has(host.toLowerCase())) throw new HttpError(421, `Host '${host}' is not this server`);
  const given = bearer(req);
  if (given !== undefined) {
    if (!sameSecret(given, policy.token)) throw new HttpError(401, 'authorization: invalid token', { 'www-authenticate': 'Bearer' });
    return { kind: 'token' };
  }
  if (req.headers.authorization !== undefined) throw new HttpError(401, 'authorization: expected Bearer TOKEN', { 'www-authenticate': 'Bearer' });
  const session = parseCookies(req.headers.cookie).get(policy.cookieName);
  if (policy.sessions.has(session)) return { kind: 'session', id: session ?? '' };
  return { kind: 'anonymous' };
}

/**
 * Mutations need the token, or a session from the page's own origin: SameSite=Strict keeps
 * other sites out, but not another port of this host (same site), hence the Origin check.
 */
export function requireWrite(req: IncomingMessage, caller: Caller): void {
  if (caller.kind === 'token') return;
  if (caller.kind === 'anonymous') throw new HttpError(401, 'authorization: this request changes the ledger and needs the token (Authorization: Bearer …) or a signed-in page', { 'www-authenticate': 'Bearer' });
  const origin = req.headers.origin;
  if (origin !== `http://${req.headers.host ?? ''}`) throw new HttpError(403, `origin: '${origin ?? '(none)'}' is not this server's page`);
}

export function requireRead(caller: Caller, policy: AuthPolicy): void {
  if (caller.kind === 'anonymous' && !policy.openReads) throw new HttpError(401, 'authorization: this server is reachable beyond loopback, so every request needs the token or a signed-in page', { 'www-authenticate': 'Bearer' });
}

/** The Host values a loopback server answers to: its address and `localhost`, with its port. */
export function loopbackHosts(host: string, port: number): Set<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  const literal = isIP(bare) === 6 ? `[${bare}]` : bare;
  return new Set([`${literal}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()));
}
