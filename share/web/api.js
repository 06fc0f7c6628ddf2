// The page's requests: same-origin only, JSON in and out, the server's `{"error"}` as the message.
// The session cookie (HttpOnly) rides along by itself; the page never sees a token.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export async function request(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text === '' ? null : JSON.parse(text);
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data?.error ?? `${response.status} ${response.statusText}`);
  return data;
}

export const runPath = (runId, action = '') => `/runs/${encodeURIComponent(runId)}${action === '' ? '' : `/${action}`}`;
