import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { CLIENT_ROUTES, createSessionClient, ROUTES_NOT_CALLED, type ClientRoute } from '../../client/index.js';
import type { Route } from '../../transports/http/route.js';
import { ROUTE_TABLE } from '../../transports/http/route-table.js';

const keysOf = (schema: unknown): string[] => Object.keys((schema as z.ZodObject | undefined)?.shape ?? {}).sort();

/** How the client's routes differ from the server's table; empty when they agree. */
function driftBetween(table: readonly Route[], clientRoutes: Readonly<Record<string, ClientRoute>>, notCalled: Readonly<Record<string, string>>): string[] {
  const drift: string[] = [];
  const served = new Map(table.map((route) => [route.operationId, route]));
  for (const route of table) {
    const client = clientRoutes[route.operationId];
    const name = `${route.method.toUpperCase()} ${route.path} (${route.operationId})`;
    if (client === undefined) {
      if (!(route.operationId in notCalled)) drift.push(`${name} has no client method`);
      continue;
    }
    if (client.method !== route.method.toUpperCase() || client.path !== route.path) drift.push(`${name}: the client sends ${client.method} ${client.path}`);
    const statuses = Object.keys(route.responses).map(Number).sort();
    if (JSON.stringify([...client.statuses].sort()) !== JSON.stringify(statuses)) drift.push(`${name}: answers ${statuses}, the client takes ${client.statuses}`);
    // The client offers every query parameter, and sends no header the route does not declare.
    if (JSON.stringify([...client.query].sort()) !== JSON.stringify(keysOf(route.request.query))) {
      drift.push(`${name}: query ${keysOf(route.request.query)}, the client sends ${client.query}`);
    }
    const headers = keysOf(route.request.headers);
    for (const header of client.headers) if (!headers.includes(header)) drift.push(`${name}: the client sends ${header}, which it does not declare`);
    const mediaTypes = Object.values(route.responses).flatMap((response) => response.mediaType ?? 'application/json');
    const answers = mediaTypes.every((type) => type === 'application/json') ? 'json' : 'text';
    if (client.answers !== answers) drift.push(`${name}: answers ${mediaTypes}, the client reads ${client.answers}`);
  }
  for (const operationId of Object.keys(clientRoutes)) if (!served.has(operationId)) drift.push(`the client calls ${operationId}, which the server does not have`);
  for (const operationId of Object.keys(notCalled)) if (!served.has(operationId)) drift.push(`${operationId} is left out, but the server does not have it`);
  return drift;
}

describe('the client and the server\u2019s route table', () => {
  it('agree: every route has a client method with the same method, path, statuses, query and headers', () => {
    expect(driftBetween(ROUTE_TABLE, CLIENT_ROUTES, ROUTES_NOT_CALLED)).toEqual([]);
  });

  it('leave out only pages meant for a browser', () => {
    expect(Object.keys(ROUTES_NOT_CALLED).sort()).toEqual(['docsFile', 'docsPage']);
  });

  it('every route the client calls is one of its methods, and every method calls a route', () => {
    const client = createSessionClient({ baseUrl: 'http://127.0.0.1:1' });
    const calls = Object.values(CLIENT_ROUTES).flatMap((route) => route.calls);
    for (const method of calls) expect(typeof client[method], method).toBe('function');
    expect(Object.keys(client).sort()).toEqual([...calls].sort());
  });

  it('the check would catch a moved route, a new route, a new status, a new query parameter or a removed header', () => {
    const route = (operationId: string): Route => {
      const found = ROUTE_TABLE.find((candidate) => candidate.operationId === operationId);
      if (found === undefined) throw new Error(operationId);
      return found;
    };
    const swap = (operationId: string, change: Partial<Route>) => ROUTE_TABLE.map((candidate) => (candidate.operationId === operationId ? { ...candidate, ...change } : candidate));
    const check = (table: readonly Route[]) => driftBetween(table, CLIENT_ROUTES, ROUTES_NOT_CALLED);
    expect(check(swap('getSession', { path: '/v2/sessions/{id}' }))).toEqual([expect.stringMatching(/the client sends GET \/sessions\/\{id\}/)]);
    expect(check(swap('refreshSession', { method: 'put' }))).toHaveLength(1);
    expect(check([...ROUTE_TABLE, { ...route('health'), operationId: 'version', path: '/version' }])).toEqual([expect.stringMatching(/version\) has no client method/)]);
    expect(check(swap('deleteSession', { responses: { ...route('deleteSession').responses, 204: { description: 'Ended.' } } }))).toHaveLength(1);
    expect(check(swap('deleteUserSessions', { request: { ...route('deleteUserSessions').request, query: route('listSessions').request.query } }))).toHaveLength(1);
    expect(check(swap('replaceSessionData', { request: { ...route('replaceSessionData').request, headers: undefined } }))).toHaveLength(1);
    expect(check(ROUTE_TABLE.filter((candidate) => candidate.operationId !== 'ready'))).toEqual(['the client calls ready, which the server does not have']);
  });
});
