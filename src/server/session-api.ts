/**
 * Signing a browser in. The token never reaches a page: `/login?code=…` (the one-time link
 * `choiros serve` prints) or the sign-in form (the token pasted once) opens a session held in an
 * HttpOnly, SameSite=Strict cookie; the page's own requests carry it, scripts cannot read it.
 */
import type { AuthPolicy } from './auth.js';
import { parseCookies, sameSecret } from './auth.js';
import type { Exchange } from './context.js';
import { HttpError, readForm, sendJson, SECURITY_HEADERS } from './http.js';

function redirect(x: Exchange, location: string, headers: Record<string, string> = {}): void {
  x.res.writeHead(303, { ...SECURITY_HEADERS, location, 'cache-control': 'no-store', ...headers });
  x.res.end();
}

function sessionCookie(policy: AuthPolicy, id: string): string {
  return `${policy.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}

/** `GET /login?code=…`: a valid, unspent code signs the browser in; anything else shows the form. */
export function loginWithCode(policy: AuthPolicy, x: Exchange, serveForm: () => void): void {
  const code = x.url.searchParams.get('code');
  if (code === null) return serveForm();
  if (!policy.sessions.redeem(code)) return redirect(x, '/login?error=code');
  // Redirected so the spent code leaves the address bar.
  redirect(x, '/', { 'set-cookie': sessionCookie(policy, policy.sessions.open()) });
}

/** `POST /login` from the form: the token, once, for a session. */
export async function loginWithToken(policy: AuthPolicy, x: Exchange): Promise<void> {
  if (x.req.headers.origin !== undefined && x.req.headers.origin !== `http://${x.req.headers.host ?? ''}`) throw new HttpError(403, 'origin: sign in from this server\'s own page');
  const form = await readForm(x.req);
  const token = form.get('token')?.trim() ?? '';
  if (token === '' || !sameSecret(token, policy.token)) return redirect(x, '/login?error=token');
  redirect(x, '/', { 'set-cookie': sessionCookie(policy, policy.sessions.open()) });
}

export function logout(policy: AuthPolicy, x: Exchange): void {
  policy.sessions.close(parseCookies(x.req.headers.cookie).get(policy.cookieName));
  sendJson(x.res, 200, { signed_in: false }, { 'set-cookie': `${policy.cookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
}

/** What the page may do: read, and (signed in, or with the token) change things. */
export function session(policy: AuthPolicy, x: Exchange): void {
  sendJson(x.res, 200, { signed_in: x.caller.kind !== 'anonymous', can_write: x.caller.kind !== 'anonymous', open_reads: policy.openReads });
}
