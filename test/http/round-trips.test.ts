import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountingStore } from '../support/counting-store.js';
import { startCountingTestServer } from '../support/counting-test-server.js';
import type { TestServer } from '../support/http-test-server.js';

// Issue 13, point 4: store round trips per HTTP operation. These are counts, not timings, so
// they are asserted: create, get, resolve, replace (with and without If-Match), refresh and
// delete are one store call each; PATCH is at most two (read, conditional write), as is rotate.
describe('store calls per HTTP request', () => {
  let counting: CountingStore;
  let api: TestServer;
  beforeAll(async () => {
    ({ api, counting } = await startCountingTestServer());
  });
  afterAll(() => api.close());

  const measure = async (method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}) => {
    counting.reset();
    const response = await api.request(method, path, options);
    expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
    return Object.fromEntries(counting.calls);
  };

  it('one for each operation but PATCH, which is two', async () => {
    const created = await api.request('POST', '/sessions', { json: { userId: 'trips' } });
    const { id, token } = created.body as { id: string; token: string };
    const figures = {
      'POST /sessions': await measure('POST', '/sessions', { json: { userId: 'trips' } }),
      'POST /sessions (caller token)': await measure('POST', '/sessions', { json: { userId: 'trips', token: 'caller-token-for-round-trips-0001' } }),
      'GET /sessions/{id}': await measure('GET', `/sessions/${id}`),
      'GET /sessions/current': await measure('GET', '/sessions/current', { headers: { 'session-token': token } }),
      'PUT /sessions/{id}': await measure('PUT', `/sessions/${id}`, { json: { data: { a: 1 } } }),
      'PUT /sessions/{id} If-Match': await measure('PUT', `/sessions/${id}`, { json: { data: { a: 2 } }, headers: { 'if-match': '"2"' } }),
      'PATCH /sessions/{id}': await measure('PATCH', `/sessions/${id}`, { json: { data: { b: 1 } } }),
      'PATCH /sessions/{id} If-Match': await measure('PATCH', `/sessions/${id}`, { json: { data: { b: 2 } }, headers: { 'if-match': '"4"' } }),
      'POST /sessions/{id}/refresh': await measure('POST', `/sessions/${id}/refresh`),
      'POST /sessions/{id}/refresh If-Match': await measure('POST', `/sessions/${id}/refresh`, { headers: { 'if-match': '"6"' } }),
      'DELETE /sessions/{id} If-Match': await measure('DELETE', `/sessions/${id}`, { headers: { 'if-match': '"7"' } }),
      'DELETE /sessions/{id}': await measure('DELETE', `/sessions/${(await api.request('POST', '/sessions', { json: {} })).body.id}`),
      'POST /sessions/{id}/rotate': await measure('POST', `/sessions/${(await api.request('POST', '/sessions', { json: {} })).body.id}/rotate`, { json: { userId: 'trips' } }),
      'GET /sessions/user/{userId}/count': await measure('GET', '/sessions/user/trips/count'),
      'DELETE /sessions/user/{userId}?except=': await measure('DELETE', `/sessions/user/trips?except=${(await api.request('POST', '/sessions', { json: { userId: 'trips' } })).body.id}`),
      'DELETE /sessions/user/{userId}': await measure('DELETE', '/sessions/user/trips'),
    };
    expect(figures).toEqual({
      'POST /sessions': { create: 1 },
      'POST /sessions (caller token)': { create: 1 },
      'GET /sessions/{id}': { get: 1 },
      'GET /sessions/current': { resolve: 1 },
      'PUT /sessions/{id}': { update: 1 },
      'PUT /sessions/{id} If-Match': { update: 1 },
      'PATCH /sessions/{id}': { get: 1, update: 1 },
      'PATCH /sessions/{id} If-Match': { get: 1, update: 1 },
      'POST /sessions/{id}/refresh': { update: 1 },
      'POST /sessions/{id}/refresh If-Match': { update: 1 },
      'DELETE /sessions/{id} If-Match': { delete: 1 },
      'DELETE /sessions/{id}': { delete: 1 },
      // Built from the session read, written on the version read: a read and the rotation.
      'POST /sessions/{id}/rotate': { get: 1, rotate: 1 },
      'GET /sessions/user/{userId}/count': { countByUser: 1 },
      'DELETE /sessions/user/{userId}?except=': { deleteByUser: 1 },
      'DELETE /sessions/user/{userId}': { deleteByUser: 1 },
    });
  });
});
