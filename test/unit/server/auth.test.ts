import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { identify, isLoopback, LOGIN_CODE_TTL_MS, loopbackHosts, parseCookies, requireRead, requireWrite, sameSecret, Sessions, type AuthPolicy } from '../../../src/server/auth.js';
import { HttpError } from '../../../src/server/http.js';

const TOKEN = 'a'.repeat(43);

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

function policy(overrides: Partial<AuthPolicy> = {}): AuthPolicy {
  return { token: TOKEN, sessions: new Sessions(), cookieName: 'choiros_session_7420', openReads: true, allowedHosts: loopbackHosts('127.0.0.1', 7420), ...overrides };
}

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof HttpError ? error.status : -1;
  }
}

describe('auth', () => {
  it('knows loopback addresses from the rest', () => {
    expect(['127.0.0.1', '127.8.9.1', '::1', '[::1]', 'localhost'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.4', '10.0.0.1', 'example.com'].map(isLoopback)).toEqual([false, false, false, false, false]);
  });

  it('spends a login code once, and not after it expired', () => {
    let now = 0;
    const sessions = new Sessions(() => now);
    const code = sessions.issueCode();
    expect(sessions.redeem(code)).toBe(true);
    expect(sessions.redeem(code)).toBe(false);
    const late = sessions.issueCode();
    now += LOGIN_CODE_TTL_MS + 1;
    expect(sessions.redeem(late)).toBe(false);
    expect(sessions.redeem('guess')).toBe(false);
  });

  it('tells the token, a session and nobody apart, and refuses a wrong token outright', () => {
    const p = policy();
    const id = p.sessions.open();
    const host = { host: '127.0.0.1:7420' };
    expect(identify(req({ ...host, authorization: `Bearer ${TOKEN}` }), p)).toEqual({ kind: 'token' });
    expect(identify(req({ ...host, cookie: `other=1; choiros_session_7420=${id}` }), p)).toEqual({ kind: 'session', id });
    expect(identify(req({ ...host, cookie: 'choiros_session_7420=forged' }), p)).toEqual({ kind: 'anonymous' });
    expect(status(() => identify(req({ ...host, authorization: 'Bearer nope' }), p))).toBe(401);
    expect(status(() => identify(req({ ...host, authorization: TOKEN }), p))).toBe(401);
    expect(status(() => identify(req({ host: 'rebound.example:7420' }), p))).toBe(421);
  });

  it('lets a session write only from its own origin, and nobody without a credential', () => {
    const headers = { host: '127.0.0.1:7420' };
    expect(status(() => requireWrite(req(headers), { kind: 'token' }))).toBeUndefined();
    expect(status(() => requireWrite(req({ ...headers, origin: 'http://127.0.0.1:7420' }), { kind: 'session', id: 'x' }))).toBeUndefined();
    expect(status(() => requireWrite(req({ ...headers, origin: 'http://127.0.0.1:3000' }), { kind: 'session', id: 'x' }))).toBe(403);
    expect(status(() => requireWrite(req(headers), { kind: 'session', id: 'x' }))).toBe(403);
    expect(status(() => requireWrite(req(headers), { kind: 'anonymous' }))).toBe(401);
  });

  it('opens reads to anyone on loopback only', () => {
    expect(status(() => requireRead({ kind: 'anonymous' }, policy()))).toBeUndefined();
    expect(status(() => requireRead({ kind: 'anonymous' }, policy({ openReads: false })))).toBe(401);
    expect(status(() => requireRead({ kind: 'token' }, policy({ openReads: false })))).toBeUndefined();
  });

  it('compares secrets whole, and parses cookies', () => {
    expect([sameSecret(TOKEN, TOKEN), sameSecret(TOKEN.slice(1), TOKEN), sameSecret('', TOKEN)]).toEqual([true, false, false]);
    expect([...parseCookies('a=1; b = two ;broken; c=x=y')]).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['c', 'x=y'],
    ]);
    expect([...loopbackHosts('::1', 80)]).toEqual(['[::1]:80', 'localhost:80', '127.0.0.1:80']);
  });
});
