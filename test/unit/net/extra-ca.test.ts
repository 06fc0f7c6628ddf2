import { describe, expect, it } from 'vitest';
import { DEFERRED_CA_VARIABLE, extraCa, takeDeferredCa } from '../../../src/net/extra-ca.js';

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

describe('extraCa', () => {
  it("is node's default when NODE_EXTRA_CA_CERTS is unset or empty", async () => {
    expect(await extraCa({})).toBeUndefined();
    expect(await extraCa({ NODE_EXTRA_CA_CERTS: '' })).toBeUndefined();
  });

  it('adds nothing for a file that cannot be read, as node only warns about it', async () => {
    expect(await extraCa({ NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' })).toBeUndefined();
  });

  it("is node's bundled roots plus the file's certificates", async () => {
    const { rootCertificates } = await import('node:tls');
    const file = new URL('../../fixtures/tls/ca.pem', import.meta.url).pathname;
    const ca = await extraCa({ NODE_EXTRA_CA_CERTS: file });
    expect(ca?.length).toBe(rootCertificates.length + 1);
    expect(ca?.at(-1)).toContain('BEGIN CERTIFICATE');
    expect(ca?.slice(0, -1)).toEqual([...rootCertificates]);
  });
});
