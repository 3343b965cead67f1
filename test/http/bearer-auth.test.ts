import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { expectProblem } from './http-api-suite.js';

const TOKEN = 'bearer-test-token-0123456789';

describe('Authorization: Bearer', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore(), { app: { apiTokens: [TOKEN] } });
  });
  afterAll(() => api.close());

  // RFC 6750 §2.1: "Bearer" 1*SP b64token; the scheme is case-insensitive.
  it.each([`Bearer ${TOKEN}`, `Bearer  ${TOKEN}`, `Bearer     ${TOKEN}`, `bearer ${TOKEN}`, `BEARER  ${TOKEN}`])('accepts %j', async (authorization) => {
    expect((await api.request('GET', '/sessions', { headers: { authorization } })).status).toBe(200);
  });

  it.each([
    `Bearer\t${TOKEN}`,
    `Bearer${TOKEN}`,
    `Bearer ${TOKEN} extra`,
    `Bearer ${TOKEN.slice(0, -1)}`,
    `Bearer ${TOKEN}x`,
    `Bearer x${TOKEN}`,
    `Basic ${TOKEN}`,
    `Bearer`,
    `Bearer  `,
    TOKEN,
  ])('refuses %j', async (authorization) => {
    const response = await api.request('GET', '/sessions', { headers: { authorization } });
    expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="session-api"');
  });

  it('refuses two Authorization headers, even when one is right', async () => {
    const port = Number(new URL(api.url).port);
    for (const pair of [[`Bearer ${TOKEN}`, 'Bearer wrong'], ['Bearer wrong', `Bearer ${TOKEN}`], [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]]) {
      const head = ['GET /sessions HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', ...pair.map((value) => `Authorization: ${value}`)];
      const outcome = await rawRequest(Buffer.from(`${head.join('\r\n')}\r\n\r\n`), { port });
      expect(outcome.kind === 'response' && outcome.status, pair.join(' + ')).toBe(401);
    }
  });
});
