import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { unavailableStore } from '../support/unavailable-store.js';
import { expectProblem } from './http-api-suite.js';

describe('when the store is down', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(unavailableStore());
  });
  afterAll(() => api.close());

  it('answers every session route with 503 and Retry-After, and /ready with 503', async () => {
    const id = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';
    const calls: [string, string, unknown?, Record<string, string>?][] = [
      ['POST', '/sessions', { userId: 'u' }],
      ['GET', `/sessions/${id}`],
      ['GET', '/sessions/current', undefined, { 'session-token': 'Qx3f.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
      ['PUT', `/sessions/${id}`, { data: {} }],
      ['PATCH', `/sessions/${id}`, { data: {} }],
      ['POST', `/sessions/${id}/refresh`],
      ['DELETE', `/sessions/${id}`],
      ['GET', '/sessions'],
      ['GET', '/sessions/user/u'],
      ['DELETE', '/sessions/user/u'],
      ['GET', '/ready'],
    ];
    for (const [method, path, json, headers = {}] of calls) {
      const response = await api.request(method, path, json === undefined ? { headers } : { json, headers });
      expectProblem(response, 503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.text).not.toContain('connection refused');
    }
    expect((await api.request('GET', '/health')).status).toBe(200);
  });

  it('still answers bad input with 4xx before any store call', async () => {
    expectProblem(await api.request('GET', '/sessions/not-an-id'), 404);
    expectProblem(await api.request('GET', '/sessions?limit=0'), 400);
    expectProblem(await api.request('POST', '/sessions', { json: { userId: 7 } }), 400);
  });
});

describe('with API tokens', () => {
  let api: TestServer;
  const token = 'a-token-of-sufficient-length';
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore(), { app: { apiTokens: ['old-token-still-valid', token] } });
  });
  afterAll(() => api.close());

  it('requires a valid bearer token on /sessions routes', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${token}` }, { authorization: 'Bearer' }]) {
      const response = await api.request('GET', '/sessions', { headers });
      expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expectProblem(await api.request('POST', '/sessions', { json: { userId: 'u' } }), 401);
    expect((await api.request('GET', '/sessions', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await api.request('GET', '/sessions', { headers: { authorization: 'Bearer old-token-still-valid' } })).status).toBe(200);
  });

  it('leaves the probes open', async () => {
    expect((await api.request('GET', '/health')).status).toBe(200);
    expect((await api.request('GET', '/ready')).status).toBe(200);
  });
});

describe('while draining', () => {
  it('answers /ready with 503 and keeps serving requests', async () => {
    let draining = false;
    const api = await startTestServer(new MemorySessionStore(), { app: { isDraining: () => draining } });
    try {
      expect((await api.request('GET', '/ready')).status).toBe(200);
      draining = true;
      expectProblem(await api.request('GET', '/ready'), 503);
      expect((await api.request('POST', '/sessions', { json: { userId: 'u' } })).status).toBe(201);
    } finally {
      await api.close();
    }
  });
});
