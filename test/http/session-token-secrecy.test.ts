import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { HttpLogger } from '../../transports/http/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

// A token is the credential: it may appear in the create answer and nowhere else. Every log
// level is captured (structured fields and messages), with metrics on, so a token that leaks
// into a log line, a problem's detail or a metric label fails here.
describe('a session token never reaches a log line, a problem or a metric', () => {
  const logged: string[] = [];
  const capture = (fields: unknown, message?: string) => {
    logged.push(JSON.stringify(fields, (_, value: unknown) => (value instanceof Error ? `${value.message} ${value.stack}` : value)), message ?? '');
  };
  const logger: HttpLogger = { info: capture, warn: capture, error: capture, isLevelEnabled: () => true };
  const registry = new Registry();
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore(), { app: { logger, metrics: { registry } } });
  });
  afterAll(() => api.close());

  it('through create, resolve, 304, wrong, malformed and taken tokens', async () => {
    const callerToken = 'caller-chosen-token_0123456789abcdef';
    const answers: string[] = [];
    const issued = await api.request('POST', '/sessions', { json: { userId: 'secrecy-user' } });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    expect((await api.request('POST', '/sessions', { json: { token: callerToken } })).status).toBe(201);
    const secrets = [token, callerToken];
    const wrong = `${token.slice(0, -4)}AAAA`;
    const malformed = `${token}!not-a-token`;
    for (const sent of [token, callerToken, wrong, malformed]) {
      answers.push((await api.request('GET', '/sessions/current', { headers: { 'session-token': sent } })).text);
      answers.push((await api.request('GET', '/sessions/current', { headers: { 'session-token': sent, 'if-none-match': '"1"' } })).text);
    }
    const taken = await api.request('POST', '/sessions', { json: { token: callerToken } });
    expect(taken.status).toBe(409);
    answers.push(taken.text);
    const shortToken = await api.request('POST', '/sessions', { json: { token: 'short-secret' } });
    expect(shortToken.status).toBe(400);
    answers.push(shortToken.text);
    // The token in a path is no token: a 404 like any unknown id, and not logged either.
    answers.push((await api.request('GET', `/sessions/${encodeURIComponent(token)}`)).text);

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(logged.length).toBeGreaterThan(10);
    for (const secret of [...secrets, wrong, malformed, 'short-secret']) {
      for (const line of logged) expect(line).not.toContain(secret);
      for (const answer of answers) expect(answer).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    // What the token names is logged only by route: `/sessions/current`, never the header.
    expect(logged.some((line) => line.includes('"route":"/sessions/current"'))).toBe(true);
  });
});
