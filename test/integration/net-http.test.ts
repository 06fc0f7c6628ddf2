import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createServer as createPlain, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTls } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver, httpPost } from '../../src/notify/deliver.js';
import { httpRequest } from '../../src/net/http.js';
import { probeOnce } from '../../src/tmux/probes.js';

const execFileAsync = promisify(execFile);
const fixture = (name: string) => new URL(`../fixtures/tls/${name}`, import.meta.url).pathname;
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const servers: Array<{ close: () => void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(handler: Handler, tls = false): Promise<string> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  };
  const server = tls ? createTls({ key: readFileSync(fixture('server-key.pem')), cert: readFileSync(fixture('server.pem')) }, listener) : createPlain(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Runs `body` with NODE_EXTRA_CA_CERTS set in this process's environment, as the launcher leaves it. */
async function withExtraCa<T>(file: string | undefined, body: () => Promise<T>): Promise<T> {
  const before = process.env.NODE_EXTRA_CA_CERTS;
  if (file === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = file;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = before;
  }
}

describe('httpRequest', () => {
  it('posts the body with its length and headers, and answers with the status and headers', async () => {
    let seen: { method: string | undefined; length: string | undefined; type: string | undefined; body: string } | undefined;
    const url = await serve((req, body, res) => {
      seen = { method: req.method, length: req.headers['content-length'], type: req.headers['content-type'], body };
      res.writeHead(503, { 'retry-after': '7' }).end('busy');
    });
    const answer = await httpRequest(`${url}/hook`, { method: 'POST', body: '{"é":1}', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000) });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('7');
    expect(seen).toEqual({ method: 'POST', length: String(Buffer.byteLength('{"é":1}')), type: 'application/json', body: '{"é":1}' });
  });

  it('does not follow redirects', async () => {
    let hits = 0;
    const url = await serve((_req, _body, res) => {
      hits++;
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    expect((await httpRequest(url, { signal: AbortSignal.timeout(5000) })).status).toBe(302);
    expect(hits).toBe(1);
  });

  it('tells a readiness probe over HTTPS ready with the authorities of NODE_EXTRA_CA_CERTS, and not without', async () => {
    const url = await serve((_req, _body, res) => res.writeHead(204).end(), true);
    const target = { probe: { http: url, timeout: 5000, interval: 500 }, cwd: '/', env: {}, logFile: undefined, logOffset: 0 };
    expect(await withExtraCa(undefined, () => probeOnce(target))).toBe(false);
    expect(await withExtraCa(fixture('ca.pem'), () => probeOnce(target))).toBe(true);
  });

  it("rejects with node's error code when nothing listens, and when the signal aborts", async () => {
    const url = await serve(() => undefined);
    const port = new URL(url).port;
    servers.splice(0)[0]?.close();
    await expect(httpRequest(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const silent = await serve(() => undefined);
    await expect(httpRequest(silent, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('trusts the certificate authorities of NODE_EXTRA_CA_CERTS, read when the request is made', async () => {
    const url = await serve((_req, _body, res) => res.end('ok'), true);
    // This process started without the test authority: only httpRequest's own list can trust it.
    await withExtraCa(undefined, async () => {
      await expect(httpRequest(url, { signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    });
    await withExtraCa(fixture('ca.pem'), async () => {
      expect((await httpRequest(url, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    });
  });

  it("adds the file's authorities to node's own store, not to node's bundled list (--use-openssl-ca: the system's)", async () => {
    const url = await serve((_req, _body, res) => res.end('ok'), true);
    // The server's authority is in the "system" store only; NODE_EXTRA_CA_CERTS names another certificate.
    // The variable is set after node started, as the launcher leaves it: node's own start-up did not load it.
    const script = `process.env.NODE_EXTRA_CA_CERTS = ${JSON.stringify(fixture('server.pem'))};
      const { httpRequest } = await import(${JSON.stringify(new URL('../../dist/net/http.js', import.meta.url).href)});
      const answer = await httpRequest(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) }).catch((e) => ({ status: e.code }));
      console.log(answer.status);`;
    // Not spawnSync: the server answers from this process's event loop.
    const child = await execFileAsync(process.execPath, ['--use-openssl-ca', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, SSL_CERT_FILE: fixture('ca.pem'), SSL_CERT_DIR: '/nonexistent' },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('200');
  });

  it('names a timeout as one', async () => {
    const silent = await serve(() => undefined);
    await expect(httpPost(silent, '{}', {}, 200)).rejects.toThrow('no answer within 200 ms');
  });

  it('gives webhooks the same trust, and does not retry a certificate it refuses', async () => {
    const url = await serve((_req, _body, res) => res.writeHead(429, { 'retry-after': '3' }).end(), true);
    const response = await withExtraCa(fixture('ca.pem'), () => httpPost(url, '{}', {}, 5000));
    expect(response).toEqual({ status: 429, retryAfter: '3' });
    const policy = { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 5000 };
    const refused = await withExtraCa(undefined, () => deliver(httpPost, async () => undefined, url, '{}', {}, policy));
    expect(refused).toEqual({ ok: false, attempts: 1, status: null, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});
