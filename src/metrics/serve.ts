import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';

/** `127.0.0.1:9464`, `[::1]:9464`, `localhost:0` → host and port. */
export function parseAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65_535) throw new UsageError(`--serve: expected HOST:PORT (127.0.0.1:9464), got '${text}'`);
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

export interface Exposition {
  contentType: string;
  body: string;
}

/**
 * Serves `GET /metrics` until the signal fires, asking `expose` for fresh text at each scrape.
 * Resolves with the bound address once listening (`onListening`), and finishes when closed.
 */
export async function serveMetrics(address: { host: string; port: number }, expose: () => Promise<Exposition>, signal: AbortSignal, onListening: (url: string) => void): Promise<void> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    expose().then(
      (e) => res.writeHead(200, { 'content-type': e.contentType }).end(e.body),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, resolve);
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  onListening(`http://${host}:${bound.port}/metrics`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
