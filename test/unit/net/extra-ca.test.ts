import { describe, expect, it } from 'vitest';
import { DEFERRED_CA_VARIABLE, extraCaContext, takeDeferredCa } from '../../../src/net/extra-ca.js';

describe('takeDeferredCa', () => {
  it('puts NODE_EXTRA_CA_CERTS back from where the launcher hid it, and removes the hiding place', () => {
    const env: NodeJS.ProcessEnv = { [DEFERRED_CA_VARIABLE]: '/etc/corp-ca.pem', PATH: '/bin' };
    takeDeferredCa(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem', PATH: '/bin' });
  });

  it('leaves an environment the launcher did not touch as it is', () => {
    const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/etc/a.pem' };
    takeDeferredCa(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/a.pem' });
  });

  it('never overrides a NODE_EXTRA_CA_CERTS set after the launcher ran', () => {
    const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/etc/b.pem', [DEFERRED_CA_VARIABLE]: '/etc/a.pem' };
    takeDeferredCa(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/b.pem' });
  });
});

describe('extraCaContext', () => {
  it("is node's default when NODE_EXTRA_CA_CERTS is unset or empty", async () => {
    expect(await extraCaContext({})).toBeUndefined();
    expect(await extraCaContext({ NODE_EXTRA_CA_CERTS: '' })).toBeUndefined();
  });

  it('adds nothing for a file that cannot be read, as node only warns about it', async () => {
    expect(await extraCaContext({ NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' })).toBeUndefined();
  });

  it('builds one context per file and reuses it (a context of ~150 roots costs tens of milliseconds)', async () => {
    const file = new URL('../../fixtures/tls/ca.pem', import.meta.url).pathname;
    const first = await extraCaContext({ NODE_EXTRA_CA_CERTS: file });
    expect(first).toBeDefined();
    expect(await extraCaContext({ NODE_EXTRA_CA_CERTS: file })).toBe(first);
    const other = new URL('../../fixtures/tls/server.pem', import.meta.url).pathname;
    expect(await extraCaContext({ NODE_EXTRA_CA_CERTS: other })).not.toBe(first);
  });
});
