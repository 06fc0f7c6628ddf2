import { HttpError } from './http.js';

/** Who may call a route: anyone (the page's files, signing in), readers, or writers. */
export type Access = 'public' | 'read' | 'write';

export interface Route<H> {
  method: string;
  /** `/runs/:id/approve`: a `:name` segment matches one path segment. */
  path: string;
  access: Access;
  handler: H;
}

interface Compiled<H> extends Route<H> {
  pattern: RegExp;
  keys: string[];
}

function compile<H>(route: Route<H>): Compiled<H> {
  const keys: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  // A trailing slash is optional everywhere: the seed API writes `/agents/tasks/`, people forget it.
  return { ...route, keys, pattern: new RegExp(`^${source.replace(/\/$/, '')}/?$`) };
}

/** A route table: the first match wins; a known path with another method is a 405 naming the allowed ones. */
export class Router<H> {
  private readonly routes: Compiled<H>[];

  constructor(routes: readonly Route<H>[]) {
    this.routes = routes.map(compile);
  }

  match(method: string, path: string): { route: Route<H>; params: Record<string, string> } {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (found === null) continue;
      if (route.method !== wanted) {
        allowed.add(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = found[i + 1] ?? ''));
      return { route, params };
    }
    if (allowed.size > 0) throw new HttpError(405, `method: ${method} is not allowed on ${path} (allowed: ${[...allowed].join(', ')})`, { allow: [...allowed].join(', ') });
    throw new HttpError(404, `Not found: ${path}`);
  }
}
