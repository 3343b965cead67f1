import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountingStore } from '../support/counting-store.js';
import { startCountingTestServer } from '../support/counting-test-server.js';
import { rawRequest } from '../support/raw-http.js';
import type { TestServer } from '../support/http-test-server.js';
import { expectProblem } from './http-api-suite.js';

// RFC 9110 §13.1: If-Match and If-None-Match are lists of entity tags or `*`. If-Match compares
// strongly (a weak tag never matches), If-None-Match weakly; a malformed list is a 400.

const MALFORMED = ['2', '"2 "', '"2', '2"', '"1" "2"', 'W/ "1"', 'w/"1"', '*, "1"', ',', '"1";"2"', '"a"b"', 'W/'];

describe('conditional requests', () => {
  let counting: CountingStore;
  let api: TestServer;
  beforeAll(async () => {
    ({ api, counting } = await startCountingTestServer());
  });
  afterAll(() => api.close());

  /** A session at `version`. */
  const sessionAt = async (version: number): Promise<string> => {
    const id = (await api.request('POST', '/sessions', { json: { userId: 'conditional', data: { n: 0 } } })).body.id as string;
    for (let v = 1; v < version; v++) await api.request('PATCH', `/sessions/${id}`, { json: { data: { n: v } } });
    return id;
  };
  const writes = (id: string) =>
    [
      ['PUT', `/sessions/${id}`, { data: { put: true } }],
      ['PATCH', `/sessions/${id}`, { data: { patched: true } }],
      ['POST', `/sessions/${id}/refresh`, undefined],
      ['DELETE', `/sessions/${id}`, undefined],
    ] as const;

  describe('If-Match', () => {
    it.each(['"1", "2"', '"2", "1"', '"7","2"', ' "2" ', '"1",, "2"', '"x", "2"', 'W/"1", "2"', '*'])('%s holds for a session at version 2, on every write', async (ifMatch) => {
      for (const [method, , json] of writes('')) {
        const id = await sessionAt(2);
        const response = await api.request(method, writes(id).find(([m]) => m === method)?.[1] ?? '', { ...(json ? { json } : {}), headers: { 'if-match': ifMatch } });
        expect(response.status, `${method} If-Match: ${ifMatch}: ${response.text}`).toBe(200);
      }
    });

    it.each(['"1"', '"1", "3"', 'W/"2"', '"02"', '"2!"', '"abc"'])('%s fails for a session at version 2: 412, nothing written', async (ifMatch) => {
      for (const [method, path, json] of writes(await sessionAt(2))) {
        expectProblem(await api.request(method, path, { ...(json ? { json } : {}), headers: { 'if-match': ifMatch } }), 412);
      }
      const id = await sessionAt(2);
      expectProblem(await api.request('DELETE', `/sessions/${id}`, { headers: { 'if-match': ifMatch } }), 412);
      const still = await api.request('GET', `/sessions/${id}`);
      expect(still.body).toMatchObject({ version: 2, data: { n: 1 } });
    });

    it('a stale "1" does not delete version 2; the current "2" does', async () => {
      const id = await sessionAt(2);
      expectProblem(await api.request('DELETE', `/sessions/${id}`, { headers: { 'if-match': '"1"' } }), 412);
      expect((await api.request('GET', `/sessions/${id}`)).status).toBe(200);
      expect((await api.request('DELETE', `/sessions/${id}`, { headers: { 'if-match': '"2"' } })).status).toBe(200);
      expectProblem(await api.request('GET', `/sessions/${id}`), 404);
    });

    it('* on a missing session is 404', async () => {
      const missing = '4b1f0c8e-1f7a-4c3e-9d2b-6a5e8f7d0c1b';
      for (const [method, path, json] of writes(missing)) {
        expectProblem(await api.request(method, path, { ...(json ? { json } : {}), headers: { 'if-match': '*' } }), 404);
      }
    });

    it('two If-Match headers are one list', async () => {
      const id = await sessionAt(2);
      const body = '{"data":{"twice":true}}';
      const request = [
        `PUT /sessions/${id} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Connection: close',
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'If-Match: "1"',
        'If-Match: "2"',
      ].join('\r\n');
      const outcome = await rawRequest(Buffer.from(`${request}\r\n\r\n${body}`), { port: Number(new URL(api.url).port) });
      expect(outcome.kind === 'response' && outcome.status).toBe(200);
    });

    it.each(MALFORMED)('%s is a 400 problem before any store call', async (header) => {
      const id = await sessionAt(1);
      for (const [method, path, json] of writes(id)) {
        counting.reset();
        const response = await api.request(method, path, { ...(json ? { json } : {}), headers: { 'if-match': header } });
        expectProblem(response, 400);
        expect(response.body.type).toBe('urn:session-api:problem:malformed-header');
        expect(counting.total(), `${method} reached the store`).toBe(0);
      }
    });
  });

  describe('If-None-Match', () => {
    it.each(['"2"', '"5", "2"', 'W/"2"', '*', '"2", W/"9"'])('GET with %s on version 2 is 304 with the ETag and no body', async (header) => {
      const id = await sessionAt(2);
      const response = await api.request('GET', `/sessions/${id}`, { headers: { 'if-none-match': header } });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe('"2"');
      expect(response.text).toBe('');
    });

    it.each(['"1"', '"1", "3"', '"x"'])('GET with %s on version 2 is the session', async (header) => {
      const id = await sessionAt(2);
      const response = await api.request('GET', `/sessions/${id}`, { headers: { 'if-none-match': header } });
      expect(response.status).toBe(200);
      expect(response.body.version).toBe(2);
    });

    it('GET with If-None-Match on a missing session is 404', async () => {
      expectProblem(await api.request('GET', '/sessions/4b1f0c8e-1f7a-4c3e-9d2b-6a5e8f7d0c1b', { headers: { 'if-none-match': '*' } }), 404);
    });

    it('PUT with If-None-Match: * on an existing session is 412, not an overwrite', async () => {
      const id = await sessionAt(1);
      expectProblem(await api.request('PUT', `/sessions/${id}`, { json: { data: { overwritten: true } }, headers: { 'if-none-match': '*' } }), 412);
      expect((await api.request('GET', `/sessions/${id}`)).body).toMatchObject({ version: 1, data: { n: 0 } });
    });

    it('a write with If-None-Match naming the current version is 412; naming another, it is written', async () => {
      const id = await sessionAt(2);
      expectProblem(await api.request('PATCH', `/sessions/${id}`, { json: { data: { x: 1 } }, headers: { 'if-none-match': 'W/"2"' } }), 412);
      expect((await api.request('PATCH', `/sessions/${id}`, { json: { data: { x: 1 } }, headers: { 'if-none-match': '"1"' } })).status).toBe(200);
    });

    it.each(MALFORMED.filter((header) => header !== '*, "1"'))('%s is a 400 problem before any store call', async (header) => {
      counting.reset();
      const response = await api.request('GET', '/sessions/4b1f0c8e-1f7a-4c3e-9d2b-6a5e8f7d0c1b', { headers: { 'if-none-match': header } });
      expectProblem(response, 400);
      expect(counting.total()).toBe(0);
    });
  });
});
