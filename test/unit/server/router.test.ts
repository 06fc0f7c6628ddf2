import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/server/http.js';
import { Router } from '../../../src/server/router.js';

const router = new Router<string>([
  { method: 'GET', path: '/agents/tasks/paged', access: 'read', handler: 'paged' },
  { method: 'GET', path: '/agents/tasks/', access: 'read', handler: 'list' },
  { method: 'PATCH', path: '/agents/tasks/:id', access: 'write', handler: 'patch' },
  { method: 'POST', path: '/runs/:id/approve', access: 'write', handler: 'approve' },
  { method: 'GET', path: '/', access: 'public', handler: 'page' },
]);

function refusal(method: string, path: string): HttpError {
  try {
    router.match(method, path);
  } catch (error) {
    if (error instanceof HttpError) return error;
  }
  throw new Error('expected a refusal');
}

describe('the router', () => {
  it('matches paths with and without the trailing slash, and takes parameters from segments', () => {
    expect(router.match('GET', '/agents/tasks').route.handler).toBe('list');
    expect(router.match('GET', '/agents/tasks/').route.handler).toBe('list');
    expect(router.match('GET', '/agents/tasks/paged').route.handler).toBe('paged');
    expect(router.match('PATCH', '/agents/tasks/42').params).toEqual({ id: '42' });
    expect(router.match('POST', '/runs/run-1%2Fx/approve').params).toEqual({ id: 'run-1%2Fx' });
    expect(router.match('HEAD', '/').route.handler).toBe('page');
  });

  it('answers 405 with the allowed methods for a known path, 404 for the rest', () => {
    const wrong = refusal('DELETE', '/agents/tasks/7');
    expect([wrong.status, wrong.headers.allow, wrong.message]).toEqual([405, 'PATCH', 'method: DELETE is not allowed on /agents/tasks/7 (allowed: PATCH)']);
    expect(refusal('GET', '/runs/x/approve/extra').status).toBe(404);
    expect(refusal('GET', '/agents/tasks/paged.json').status).toBe(405);
  });
});
