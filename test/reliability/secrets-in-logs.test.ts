import { afterAll, describe, expect, it } from 'vitest';
import { logHash } from '../../transports/http/log-hash.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';

const TOKEN = 'tok-4c1d2a6f9e0b8d7c3a5e';
const OLD_TOKEN = 'tok-rotated-out-7f3e2d1c0b9a';
const SECRET_VALUES = ['cart-item-secret-91x', 'patched-secret-52y', 'replaced-secret-33z', 'header-secret-77w'];
// A session's context says where a person is: none of it may reach the logs in clear.
const CONTEXT = { ip: '203.0.113.77', userAgent: 'agent-secret-64v', device: 'device-secret-18u' };

describe('secrets and session ids never reach the logs (the built bin at LOG_LEVEL=trace)', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill();
  });

  it('a whole session lifecycle, bad tokens and failures leave no token, id or data in stdout/stderr', async () => {
    service = await startServiceProcess({ API_TOKENS: `${OLD_TOKEN},${TOKEN}`, LOG_LEVEL: 'trace', SHUTDOWN_DELAY_MS: '0' });
    const { url } = service;
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
      const response = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await call('POST', '/sessions', { userId: 'log-user', data: { cart: SECRET_VALUES[0], i }, ...CONTEXT });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    const [id] = ids as [string];
    expect((await call('GET', `/sessions/${id}`)).status).toBe(200);
    expect((await call('PATCH', `/sessions/${id}`, { data: { note: SECRET_VALUES[1] } })).status).toBe(200);
    expect((await call('PUT', `/sessions/${id}`, { data: { note: SECRET_VALUES[2] } }, { ...auth, 'if-match': '"2"' })).status).toBe(200);
    expect((await call('PUT', `/sessions/${id}`, { data: {} }, { ...auth, 'if-match': '"1"' })).status).toBe(412);
    expect((await call('POST', `/sessions/${id}/refresh`)).status).toBe(200);
    expect((await call('GET', '/sessions?limit=1')).status).toBe(200);
    expect((await call('GET', '/sessions/user/log-user')).status).toBe(200);
    // The old token still works (rotation), a wrong one is refused; neither may be logged.
    expect((await call('GET', `/sessions/${id}`, undefined, { authorization: `Bearer ${OLD_TOKEN}` })).status).toBe(200);
    expect((await call('GET', `/sessions/${id}`, undefined, { authorization: `Bearer ${TOKEN}-wrong` })).status).toBe(401);
    // Data in a body the service refuses, and in a header it does not use.
    expect((await call('POST', '/sessions', { userId: 'log-user', data: { x: SECRET_VALUES[3] }, extra: 1 })).status).toBe(400);
    expect((await call('GET', `/sessions/${id}`, undefined, { ...auth, cookie: `sid=${SECRET_VALUES[3]}` })).status).toBe(200);
    expect((await call('DELETE', `/sessions/${id}`)).status).toBe(200);
    expect((await call('DELETE', `/sessions/${id}`)).status).toBe(404);
    expect((await call('DELETE', '/sessions/user/log-user')).status).toBe(200);

    service.child.kill('SIGTERM');
    expect((await service.exited()).code).toBe(0);
    const output = service.output();

    // It did log: one line per request, at trace level too, with the id's hash for correlation.
    expect(output.split('\n').filter((line) => line.includes('"route"')).length).toBeGreaterThanOrEqual(15);
    expect(output).toContain(logHash(id));
    // The client (this test, on 127.0.0.1) appears as its network only; the server's own
    // listening address is in the start-up line and is no client's.
    expect(output).toContain('"client":"127.0.0.0/24"');
    expect(output).not.toMatch(/"client":"127\.0\.0\.1"/);
    for (const secret of [TOKEN, OLD_TOKEN, `${TOKEN}-wrong`, ...ids, ...SECRET_VALUES, ...Object.values(CONTEXT)]) {
      expect(output, `the logs contain ${secret}`).not.toContain(secret);
    }
  });
});
