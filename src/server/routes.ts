/** Every route of `choiros serve`, in one table: method, path, who may call it, what answers. */
import type { AuthPolicy } from './auth.js';
import type { ApiContext, Exchange } from './context.js';
import type { EventHub } from './event-hub.js';
import { HttpError, sendText } from './http.js';
import type { Route } from './router.js';
import { answer, cancel, control, getRun, listRuns } from './runs-api.js';
import { eventsQuerySchema, parse, queryObject } from './schemas.js';
import { loginWithCode, loginWithToken, logout, session } from './session-api.js';
import type { StaticFile } from './static.js';
import { health, metrics, type ServerFacts } from './status-api.js';
import { createTask, csvTasks, getTask, listTasks, pagedTasks, patchTask } from './tasks-api.js';

export type Handler = (x: Exchange) => void | Promise<void>;

export interface RouteDeps {
  api: ApiContext;
  policy: AuthPolicy;
  hub: EventHub;
  files: ReadonlyMap<string, StaticFile>;
  facts: ServerFacts;
}

function serveFile(files: ReadonlyMap<string, StaticFile>, path: string, x: Exchange): void {
  const file = files.get(path);
  if (file === undefined) throw new HttpError(404, `Not found: ${path}`);
  // The page's files change only with choiros itself: revalidate, never serve a stale page after an upgrade.
  sendText(x.res, 200, file.type, file.body, { 'cache-control': 'no-cache' });
}

/** `GET /events[?run_id=…][&after=SEQ]`, resuming after `Last-Event-ID` when the browser reconnects. */
async function events(deps: RouteDeps, x: Exchange): Promise<void> {
  const query = parse(eventsQuerySchema, queryObject(x.url.searchParams), 'query');
  const header = x.req.headers['last-event-id'];
  const resume = typeof header === 'string' && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
  if (typeof header === 'string' && header.trim() !== '' && resume === undefined) throw new HttpError(400, 'Last-Event-ID: expected a sequence number');
  if (query.run_id !== undefined) deps.api.ledger.run(query.run_id);
  // A HEAD asks whether the stream is there; holding it open would be a stream without a reader.
  if (x.req.method === 'HEAD') return sendText(x.res, 200, 'text/event-stream; charset=utf-8', '');
  const after = resume ?? query.after;
  await deps.hub.subscribe(x.res, { ...(query.run_id === undefined ? {} : { runId: query.run_id }), ...(after === undefined ? {} : { after }) });
}

export function routes(deps: RouteDeps): Route<Handler>[] {
  const { api, policy, files } = deps;
  const with_ = (fn: (api: ApiContext, x: Exchange) => void | Promise<void>): Handler => (x) => fn(api, x);
  return [
    { method: 'GET', path: '/health', access: 'read', handler: (x) => health(api, deps.facts, x) },
    { method: 'GET', path: '/metrics', access: 'read', handler: with_(metrics) },
    { method: 'GET', path: '/events', access: 'read', handler: (x) => events(deps, x) },
    { method: 'GET', path: '/agents/tasks/paged', access: 'read', handler: with_(pagedTasks) },
    { method: 'GET', path: '/agents/tasks/paged.csv', access: 'read', handler: with_(csvTasks) },
    { method: 'GET', path: '/agents/tasks/', access: 'read', handler: with_(listTasks) },
    { method: 'POST', path: '/agents/tasks/', access: 'write', handler: with_(createTask) },
    { method: 'GET', path: '/agents/tasks/:id', access: 'read', handler: with_(getTask) },
    { method: 'PATCH', path: '/agents/tasks/:id', access: 'write', handler: with_(patchTask) },
    { method: 'GET', path: '/runs', access: 'read', handler: with_(listRuns) },
    { method: 'GET', path: '/runs/:id', access: 'read', handler: with_(getRun) },
    { method: 'POST', path: '/runs/:id/approve', access: 'write', handler: with_(answer('approved')) },
    { method: 'POST', path: '/runs/:id/reject', access: 'write', handler: with_(answer('rejected')) },
    { method: 'POST', path: '/runs/:id/pause', access: 'write', handler: with_(control('pause')) },
    { method: 'POST', path: '/runs/:id/resume', access: 'write', handler: with_(control('resume')) },
    { method: 'POST', path: '/runs/:id/cancel', access: 'write', handler: with_(cancel) },
    { method: 'GET', path: '/session', access: 'public', handler: (x) => session(policy, x) },
    { method: 'GET', path: '/login', access: 'public', handler: (x) => loginWithCode(policy, x, () => serveFile(files, '/login.html', x)) },
    { method: 'POST', path: '/login', access: 'public', handler: (x) => loginWithToken(policy, x) },
    { method: 'POST', path: '/logout', access: 'public', handler: (x) => logout(policy, x) },
    ...[...files.keys()].filter((path) => path !== '/login.html').map((path): Route<Handler> => ({ method: 'GET', path, access: 'public', handler: (x) => serveFile(files, path, x) })),
  ];
}
