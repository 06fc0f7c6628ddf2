import { request as plainRequest, type IncomingHttpHeaders } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { extraCaContext } from './extra-ca.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Ends the request (and its connection) when it aborts: a timeout, or the caller giving up. */
  signal: AbortSignal;
}

/**
 * One HTTP(S) request, answered with the status line and headers; the body is not read (the
 * connection is closed once they arrive). Redirects are not followed. HTTPS trusts what node
 * trusts, NODE_EXTRA_CA_CERTS included (see extra-ca.ts: node 20's `fetch` takes no store of
 * authorities, so this is node's `https.request`). A failure rejects with node's error, whose
 * `code` names it (ECONNREFUSED, CERT_HAS_EXPIRED …).
 */
export async function httpRequest(url: string, options: HttpRequest): Promise<HttpAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const secureContext = secure ? await extraCaContext() : undefined;
  return new Promise((resolve, reject) => {
    // No keep-alive agent: one connection per request, closed with it, so nothing holds the process.
    const send = secure ? tlsRequest : plainRequest;
    const headers = options.body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
    const request = send(target, { method: options.method ?? 'GET', headers, signal: options.signal, agent: false, ...(secureContext === undefined ? {} : { secureContext }) }, (response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
      response.destroy();
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
