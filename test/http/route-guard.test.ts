import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { ROUTE_TABLE } from '../../transports/http/route-table.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

// Every guarded route, sent as an attacker would spell it: the router must either not match
// it at all (404) or run the route's own guard (401). It must never answer as the route.

const TOKEN = 'route-guard-token-0123456789';

interface GuardedCall {
  readonly method: string;
  /** A path template; `{id}` is a live session's id. */
  readonly path: string;
  readonly body?: unknown;
  /** The status the route answers with a valid token. */
  readonly status: number;
}

// Straight from the table: a route added to it is in this test with no other edit. Its body
// is the example its schema documents; its answer is the first success it declares.
const GUARDED: readonly GuardedCall[] = ROUTE_TABLE.filter((route) => route.auth !== 'public').map((route) => {
  const body = route.request.body === undefined ? undefined : (z.globalRegistry.get(route.request.body)?.examples as unknown[] | undefined)?.[0];
  const status = Number(Object.keys(route.responses).find((code) => code.startsWith('2')));
  return { method: route.method.toUpperCase(), path: route.path, ...(body === undefined ? {} : { body }), status };
});

/** The spellings of `path` a lenient router or a string-comparing guard might treat alike. */
export function pathVariants(path: string): string[] {
  const [, first = '', rest = ''] = /^\/([^/]+)(.*)$/.exec(path) ?? [];
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    path.toUpperCase(),
    `/${first.toUpperCase()}${rest}`,
    `/${first[0]?.toUpperCase()}${first.slice(1)}${rest}`,
    `${path}/`,
    `${path}//`,
    `/${path}`,
    `/${first}/${rest}`,
    path.replace(/\/(?=[^/]*$)/, '//'),
    `/${encodedFirst}${rest}`,
    `/${encodedFirst.toUpperCase()}${rest}`,
    `/${first}/../${first}${rest}`,
    `/./${first}${rest}`,
    `/${first}/.${rest}`,
    `${path}/.`,
    `${path}/..`,
    `${path}?`,
    `${path}#`,
    `${path};`,
    `${path}%2F`,
  ];
}

describe('every guarded route, however its path is spelled', () => {
  it('covers the session routes and /metrics', () => {
    expect(GUARDED.map((call) => `${call.method} ${call.path}`)).toEqual(expect.arrayContaining(['GET /sessions/{id}', 'GET /sessions/current', 'POST /sessions', 'GET /metrics']));
    expect(GUARDED.length).toBeGreaterThanOrEqual(10);
  });

  let api: TestServer;
  let port: number;
  beforeAll(async () => {
    // With events, so that GET /events answers as its route (not 404 events-disabled).
    api = await startTestServer(new MemorySessionStore({ events: true }), {
      app: { apiTokens: [TOKEN], metrics: { registry: new Registry(), requireToken: true } },
    });
    port = Number(new URL(api.url).port);
  });
  afterAll(() => api.close());

  // Routes that name their session by a header (`GET /sessions/current`) get a live one's token.
  let sessionToken = '';
  const send = async (method: string, path: string, body: unknown, token: boolean) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const head = [
      `${method} ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: close',
      ...(token ? [`Authorization: Bearer ${TOKEN}`] : []),
      ...(sessionToken === '' ? [] : [`Session-Token: ${sessionToken}`]),
      ...(body === undefined ? [] : ['Content-Type: application/json']),
      `Content-Length: ${Buffer.byteLength(payload)}`,
    ];
    const outcome = await rawRequest(Buffer.from(`${head.join('\r\n')}\r\n\r\n${payload}`), { port });
    if (outcome.kind !== 'response') throw new Error(`${method} ${path}: ${outcome.kind}`);
    return outcome;
  };
  const fill = async (template: string): Promise<string> => {
    const unknown = /\{(?!id\}|userId\})\w+\}/.exec(template);
    if (unknown) throw new Error(`no value for ${unknown[0]} of ${template}: teach this test one`);
    const created = await api.request('POST', '/sessions', { json: { userId: 'guard-user' }, headers: { authorization: `Bearer ${TOKEN}` } });
    sessionToken = created.body.token as string;
    if (!template.includes('{id}')) return template.replace('{userId}', 'guard-user');
    return template.replace('{id}', created.body.id as string);
  };

  it.each(GUARDED.map((call) => [`${call.method} ${call.path}`, call] as const))('%s: 401 without the token, its answer with it', async (_, call) => {
    const path = await fill(call.path);
    const refused = await send(call.method, path, call.body, false);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await send(call.method, path, call.body, true)).status).toBe(call.status);
  });

  it.each(GUARDED.map((call) => [`${call.method} ${call.path}`, call] as const))('%s: no spelling of the path answers without the token', async (_, call) => {
    const path = await fill(call.path);
    for (const variant of pathVariants(path)) {
      const response = await send(call.method, variant, call.body, false);
      // 404: the router matched nothing; 405: it matched a path of another method; 401: a
      // route's own guard ran. Anything else means a route answered unguarded.
      expect([401, 404, 405], `${call.method} ${variant} answered ${response.status}`).toContain(response.status);
      expect(response.headers.get('content-type'), `${call.method} ${variant}`).toBe('application/problem+json');
    }
  });
});
