import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionService, InvalidInputError, isSessionHandle, SessionNotFoundError } from '../../core/index.js';
import { expectProblem } from '../http/http-api-suite.js';
import { countingStore, type CountingStore } from '../support/counting-store.js';
import { startCountingTestServer } from '../support/counting-test-server.js';
import type { TestServer } from '../support/http-test-server.js';
import { ManualClock } from '../support/manual-clock.js';

const VALID_ID = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';
const CONTROL = /[\u0000-\u001f\u007f]/;

const malformedIds = [
  'not-an-id',
  '4b1f0c8e-1f7a-4c3e-9d2b-6a5e8f7d0c1b', // a v0.1 id: a UUID is no handle
  VALID_ID.replace('.', '_'),
  VALID_ID.replace('Q', '+'),
  'current.x',
  VALID_ID.slice(0, -1),
  `${VALID_ID}0`,
  `${VALID_ID}%00`,
  '%2e%2e',
  '..%2f..%2fetc',
  'a'.repeat(5_000),
  '__proto__',
  `${encodeURIComponent('\u00e9')}`,
];
const malformedUserIds = ['%00', 'a%0Ab', 'tab%09', 'del%7F', 'u'.repeat(257), '\u00e9'.repeat(257).split('').map(encodeURIComponent).join('')];
const malformedQueries = [
  'limit=0',
  'limit=-1',
  'limit=1001',
  'limit=1.5',
  'limit=abc',
  'limit=',
  'limit=1e2',
  'limit=1&limit=2',
  'cursor=',
  'cursor=%00',
  'cursor=a%20b',
  'cursor=abc%2B%2F',
  `cursor=${'A'.repeat(2_049)}`,
  'cursor=a&cursor=b',
  'unknown=1',
  '__proto__=1',
];

describe('validation happens before any store call, over HTTP', () => {
  let counting: CountingStore;
  let api: TestServer;
  beforeAll(async () => {
    ({ api, counting } = await startCountingTestServer());
  });
  afterAll(() => api.close());

  const expectNoStoreCall = async (method: string, path: string, status: number, json?: unknown) => {
    counting.reset();
    expectProblem(await api.request(method, path, json === undefined ? {} : { json }), status);
    expect(counting.total(), `${method} ${path} reached the store: ${JSON.stringify([...counting.calls])}`).toBe(0);
  };

  it('malformed session ids on every id route', async () => {
    for (const id of malformedIds) {
      await expectNoStoreCall('GET', `/sessions/${id}`, 404);
      await expectNoStoreCall('PUT', `/sessions/${id}`, 404, { data: {} });
      await expectNoStoreCall('PATCH', `/sessions/${id}`, 404, { data: {} });
      await expectNoStoreCall('POST', `/sessions/${id}/refresh`, 404);
      await expectNoStoreCall('DELETE', `/sessions/${id}`, 404);
    }
    // A token that is no token names no session: the same 404, and no store call either.
    for (const token of ['short', `${VALID_ID}.x`, 'a b'.repeat(20), 'é'.repeat(30)]) {
      counting.reset();
      expectProblem(await api.request('GET', '/sessions/current', { headers: { 'session-token': encodeURIComponent(token) === token ? token : 'x'.repeat(300) } }), 404);
      expect(counting.total()).toBe(0);
    }
    await expectNoStoreCall('GET', '/sessions/current', 400);
    // A path segment that does not decode to well-formed Unicode is malformed input: 400.
    await expectNoStoreCall('GET', '/sessions/%E0%A4%A', 400);
  });

  it('malformed user ids on both user routes', async () => {
    for (const userId of malformedUserIds) {
      await expectNoStoreCall('GET', `/sessions/user/${userId}`, 400);
      await expectNoStoreCall('DELETE', `/sessions/user/${userId}`, 400);
    }
    for (const userId of malformedUserIds) await expectNoStoreCall('POST', '/sessions', 400, { userId: decodeURIComponent(userId) });
    await expectNoStoreCall('POST', '/sessions', 400, { userId: '' });
  });

  it('malformed limits and cursors on both listings', async () => {
    for (const query of malformedQueries) {
      await expectNoStoreCall('GET', `/sessions?${query}`, 400);
      await expectNoStoreCall('GET', `/sessions/user/alice?${query}`, 400);
    }
  });

  it('malformed bodies and If-Match', async () => {
    await expectNoStoreCall('PUT', `/sessions/${VALID_ID}`, 400, { data: [] });
    await expectNoStoreCall('PATCH', `/sessions/${VALID_ID}`, 400, { data: {}, extra: 1 });
    counting.reset();
    expectProblem(await api.request('PUT', `/sessions/${VALID_ID}`, { json: { data: {} }, headers: { 'if-match': 'W/"1"' } }), 412);
    expect(counting.total()).toBe(0);
  });

  it('user ids, data keys and data strings that are not well-formed Unicode (JSON "\\ud800" escapes)', async () => {
    await expectNoStoreCall('POST', '/sessions', 400, { userId: 'x\ud800' });
    await expectNoStoreCall('POST', '/sessions', 400, { userId: '\udfffx' });
    for (const data of [{ '\ud800': 1 }, { a: 'b\udc00' }, { a: [{ b: '\ud83d' }] }]) {
      await expectNoStoreCall('POST', '/sessions', 400, { userId: 'alice', data });
      await expectNoStoreCall('PUT', `/sessions/${VALID_ID}`, 400, { data });
      await expectNoStoreCall('PATCH', `/sessions/${VALID_ID}`, 400, { data });
    }
  });

  it('and a well-formed request does reach it (the proxy counts)', async () => {
    counting.reset();
    expect((await api.request('GET', `/sessions/${VALID_ID}`)).status).toBe(404);
    expect(counting.calls.get('get')).toBe(1);
  });
});

describe('validation happens before any store call, in the core', () => {
  const counting = countingStore(new MemorySessionStore());
  const service = createSessionService({ store: counting.store, clock: new ManualClock() });
  const refused = (error: unknown) => error instanceof InvalidInputError || error instanceof SessionNotFoundError;

  it('any string that is not a session id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.uuid({ version: [1, 2, 3, 5] }), fc.uuid().map((u) => u.toUpperCase())), async (id) => {
        fc.pre(!isSessionHandle(id));
        counting.reset();
        for (const call of [
          () => service.get(id),
          () => service.replace(id, {}),
          () => service.patch(id, {}),
          () => service.refresh(id),
          () => service.delete(id),
        ]) {
          await expect(call()).rejects.toSatisfy(refused);
        }
        expect(counting.total()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('any user id that is empty, too long or holds a control character', async () => {
    const badUserId = fc.oneof(
      fc.constant(''),
      fc.string({ minLength: 257, maxLength: 400 }),
      fc.tuple(fc.string(), fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), fc.string()).map((parts) => parts.join('')),
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}\u007f${b}`),
    );
    await fc.assert(
      fc.asyncProperty(badUserId, async (userId) => {
        expect(userId.length === 0 || userId.length > 256 || CONTROL.test(userId)).toBe(true);
        counting.reset();
        await expect(service.listByUser(userId)).rejects.toBeInstanceOf(InvalidInputError);
        await expect(service.deleteByUser(userId)).rejects.toBeInstanceOf(InvalidInputError);
        await expect(service.create({ userId })).rejects.toBeInstanceOf(InvalidInputError);
        expect(counting.total()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('any user id, data key or data string holding a lone surrogate', async () => {
    // ASCII around one surrogate half: never a pair, so never well-formed.
    const lone = fc
      .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 }))
      .map(([before, half, after]) => `${before}${String.fromCharCode(half)}${after}`);
    await fc.assert(
      fc.asyncProperty(lone, fc.boolean(), async (text, asKey) => {
        expect(text.isWellFormed()).toBe(false);
        const data = asKey ? { [text]: 1 } : { a: { b: [text] } };
        counting.reset();
        for (const call of [
          () => service.create({ userId: text }),
          () => service.listByUser(text),
          () => service.deleteByUser(text),
          () => service.create({ userId: 'alice', data }),
          () => service.replace(VALID_ID, data),
          () => service.patch(VALID_ID, data),
        ]) {
          await expect(call()).rejects.toBeInstanceOf(InvalidInputError);
        }
        expect(counting.total()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('any limit outside 1..1000 or not whole, and any cursor not of the issued form', async () => {
    const badLimit = fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: 1001 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Infinity, -Infinity),
    );
    const badCursor = fc.oneof(fc.constant(''), fc.string({ minLength: 2049, maxLength: 2100 }), fc.string().filter((s) => /[^A-Za-z0-9_-]/.test(s)));
    await fc.assert(
      fc.asyncProperty(badLimit, badCursor, async (limit, cursor) => {
        counting.reset();
        await expect(service.list({ limit })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(service.listByUser('alice', { limit })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(service.list({ cursor })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(service.listByUser('alice', { cursor })).rejects.toBeInstanceOf(InvalidInputError);
        expect(counting.total()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
