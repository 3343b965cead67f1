import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../core/index.js';
import { allPages, idsOf, pageQuery } from '../support/all-pages.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/http-test-server.js';

/** A store for one test file, and how to let it go. */
export interface OpenedTestStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HANDLE = /^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{22}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING_ID = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';

/** A page of a listing as the API answers it (the fields these tests read). */
interface ListingPage {
  readonly sessions: readonly { readonly id: string }[];
  readonly nextCursor: string | null;
}

/** Expects an RFC 9457 problem with this status. */
export function expectProblem(response: TestResponse, status: number): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(response.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

/**
 * The HTTP API's behaviour, route by route and error by error, over a real port. Every store
 * runs it: `describeHttpApi('redis', openRedisStore)`.
 */
export function describeHttpApi(storeName: string, openStore: () => Promise<OpenedTestStore>): void {
  describe(`HTTP API over the ${storeName} store`, () => {
    let opened: OpenedTestStore;
    let api: TestServer;
    let userSeq = 0;
    const user = () => `${storeName}-user-${++userSeq}-${Math.random().toString(36).slice(2, 8)}`;
    const create = async (body: Record<string, unknown> = {}) => {
      const response = await api.request('POST', '/sessions', { json: { userId: user(), ...body } });
      expect(response.status, response.text).toBe(201);
      const { token: _token, evicted: _evicted, ...session } = response.body as { id: string; userId: string; version: number; expiresAt: string; data: unknown; token: string; evicted: string[] };
      return session;
    };

    beforeAll(async () => {
      opened = await openStore();
      api = await startTestServer(opened.store);
    });
    afterAll(async () => {
      await api?.close();
      await opened?.close();
    });

    describe('POST /sessions', () => {
      it('creates a session: 201, Location, ETag, the session on the wire', async () => {
        const userId = user();
        const response = await api.request('POST', '/sessions', { json: { userId, data: { cart: [1, 2], nested: { a: null } } } });
        expect(response.status).toBe(201);
        const body = response.body;
        expect(Object.keys(body).sort()).toEqual(['createdAt', 'data', 'evicted', 'expiresAt', 'id', 'lastActiveAt', 'token', 'updatedAt', 'userId', 'version']);
        expect(body.id).toMatch(HANDLE);
        expect(body).toMatchObject({ userId, data: { cart: [1, 2], nested: { a: null } }, version: 1 });
        for (const field of ['createdAt', 'updatedAt', 'expiresAt']) expect(body[field]).toMatch(ISO);
        expect(Date.parse(body.expiresAt) - Date.parse(body.createdAt)).toBe(24 * 3_600_000);
        expect(response.headers.get('location')).toBe(`/sessions/${body.id}`);
        expect(response.headers.get('etag')).toBe('"1"');
        expect(response.headers.get('cache-control')).toBe('no-store');
      });

      it('defaults data to {} and honours ttlSeconds', async () => {
        const session = await create({ ttlSeconds: 90 });
        expect(session.data).toEqual({});
        const got = (await api.request('GET', `/sessions/${session.id}`)).body;
        expect(Date.parse(got.expiresAt) - Date.parse(got.createdAt)).toBe(90_000);
      });

      it('stores __proto__ and constructor keys as plain data', async () => {
        const raw = '{"userId":"proto-user","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}';
        const response = await api.request('POST', '/sessions', { body: raw, headers: { 'content-type': 'application/json' } });
        expect(response.status).toBe(201);
        const got = await api.request('GET', `/sessions/${response.body.id}`);
        expect(got.text).toContain('"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      it.each([
        ['malformed JSON', '{"userId":', 'application/json', 400],
        ['no body', '', 'application/json', 400],
        ['a JSON array', '[]', 'application/json', 400],
        ['userId of the wrong type', '{"userId":42}', 'application/json', 400],
        ['an empty userId', '{"userId":""}', 'application/json', 400],
        ['a token too short', '{"token":"abc"}', 'application/json', 400],
        ['a token with a dot', `{"token":"${'a'.repeat(30)}.b"}`, 'application/json', 400],
        ['a token too long', `{"token":"${'a'.repeat(257)}"}`, 'application/json', 400],
        ['an unknown field', '{"userId":"u","admin":true}', 'application/json', 400],
        ['data that is an array', '{"userId":"u","data":[1]}', 'application/json', 400],
        ['data that is a string', '{"userId":"u","data":"x"}', 'application/json', 400],
        ['ttlSeconds of 0', '{"userId":"u","ttlSeconds":0}', 'application/json', 400],
        ['ttlSeconds with a fraction', '{"userId":"u","ttlSeconds":1.5}', 'application/json', 400],
        ['ttlSeconds past the maximum', '{"userId":"u","ttlSeconds":99999999}', 'application/json', 400],
        ['ttlSeconds as a string', '{"userId":"u","ttlSeconds":"60"}', 'application/json', 400],
        ['a userId with a control character', '{"userId":"a\\u0000b"}', 'application/json', 400],
        ['a text/plain body', '{"userId":"u"}', 'text/plain', 415],
        ['a form body', 'userId=u', 'application/x-www-form-urlencoded', 415],
        ['a latin-1 JSON body', '{"userId":"u"}', 'application/json; charset=iso-8859-1', 415],
      ])('answers %s with %i', async (_, body, type, status) => {
        expectProblem(await api.request('POST', '/sessions', { body, headers: { 'content-type': type } }), status);
      });

      it('answers bytes that are not UTF-8 with 400', async () => {
        const body = Buffer.concat([Buffer.from('{"userId":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
        expectProblem(await api.request('POST', '/sessions', { body, headers: { 'content-type': 'application/json' } }), 400);
      });

      it('answers a body over 64 KiB with 413', async () => {
        const data = { blob: 'x'.repeat(70_000) };
        expectProblem(await api.request('POST', '/sessions', { json: { userId: 'u', data } }), 413);
      });

      it('answers data nested deeper than 32 with 400', async () => {
        let data: unknown = {};
        for (let i = 0; i < 40; i++) data = { d: data };
        expectProblem(await api.request('POST', '/sessions', { json: { userId: 'u', data } }), 400);
      });
    });

    describe('tokens: anonymous sessions, caller tokens, GET /sessions/current', () => {
      const callerToken = () => `sid_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`.padEnd(30, 'x');
      const current = (token: string | undefined, headers: Record<string, string> = {}) =>
        api.request('GET', '/sessions/current', { headers: token === undefined ? headers : { 'session-token': token, ...headers } });

      it('creates an anonymous session: no userId on the wire, a token that resolves it', async () => {
        const response = await api.request('POST', '/sessions', { json: { data: { cart: ['sku-1'] } } });
        expect(response.status, response.text).toBe(201);
        const { token, evicted, ...session } = response.body;
        expect(evicted).toEqual([]);
        expect(session.id).toMatch(HANDLE);
        expect(session).not.toHaveProperty('userId');
        expect(typeof token).toBe('string');
        const got = await current(token);
        expect(got.status, got.text).toBe(200);
        expect(got.body).toEqual(session);
        expect(got.headers.get('etag')).toBe('"1"');
        expect((await api.request('GET', `/sessions/${session.id}`)).body).toEqual(session);
      });

      it('keeps a caller token: it resolves, and a second create with it is 409 token-taken', async () => {
        const token = callerToken();
        const first = await api.request('POST', '/sessions', { json: { userId: user(), token } });
        expect(first.status, first.text).toBe(201);
        expect(first.body.token).toBe(token);
        const { token: _t, evicted: _e, ...session } = first.body;
        expect((await current(token)).body).toEqual(session);
        const again = await api.request('POST', '/sessions', { json: { token } });
        expectProblem(again, 409);
        expect(again.body.type).toMatch(/token-taken$/);
        expect(again.text).not.toContain(token);
        const anonymous = callerToken();
        expect((await api.request('POST', '/sessions', { json: { token: anonymous } })).status).toBe(201);
        expect((await current(anonymous)).status).toBe(200);
      });

      it('never shows the token again: GET by handle and the listings carry none', async () => {
        const userId = user();
        const created = (await api.request('POST', '/sessions', { json: { userId } })).body;
        expect((await api.request('GET', `/sessions/${created.id}`)).text).not.toContain(created.token);
        const page = await api.request('GET', `/sessions/user/${userId}`);
        expect(page.body.sessions.map((s: { id: string }) => s.id)).toEqual([created.id]);
        expect(page.text).not.toContain(created.token);
        expect(page.body.sessions[0]).not.toHaveProperty('token');
      });

      it('answers If-None-Match with 304 like GET by handle', async () => {
        const { token } = (await api.request('POST', '/sessions', { json: {} })).body;
        const response = await current(token, { 'if-none-match': '"1"' });
        expect(response.status).toBe(304);
        expect(response.headers.get('etag')).toBe('"1"');
      });

      it('answers an unknown, wrong, malformed, deleted or expired token with the same 404; a missing header with 400', async () => {
        const created = (await api.request('POST', '/sessions', { json: { ttlSeconds: 1 } })).body;
        const wrong = `${created.token.slice(0, -1)}${created.token.endsWith('A') ? 'B' : 'A'}`;
        const answers = [];
        for (const token of [callerToken(), wrong, 'not a token', 'current', created.id]) answers.push(await current(token));
        const deleted = (await api.request('POST', '/sessions', { json: {} })).body;
        await api.request('DELETE', `/sessions/${deleted.id}`);
        answers.push(await current(deleted.token));
        for (const answer of answers) {
          expectProblem(answer, 404);
          expect(answer.body).toEqual(answers[0]!.body);
        }
        expectProblem(await current(undefined), 400);
        expectProblem(await current(''), 400);
      });
    });

    describe('GET /sessions/{id}', () => {
      it('returns the session with its ETag', async () => {
        const session = await create({ data: { a: 1 } });
        const response = await api.request('GET', `/sessions/${session.id}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual(session);
        expect(response.headers.get('etag')).toBe('"1"');
      });

      it('answers 404 for an unknown id, a malformed id and an expired session', async () => {
        expectProblem(await api.request('GET', `/sessions/${MISSING_ID}`), 404);
        expectProblem(await api.request('GET', '/sessions/not-a-session-id'), 404);
        // A path that does not decode to well-formed Unicode is malformed input, not an unknown id.
        expectProblem(await api.request('GET', '/sessions/%E0%A4%A'), 400);
        const session = await create({ ttlSeconds: 5 });
        api.clock.advance(4_999);
        expect((await api.request('GET', `/sessions/${session.id}`)).status).toBe(200);
        api.clock.advance(1);
        expectProblem(await api.request('GET', `/sessions/${session.id}`), 404);
      });
    });

    describe('PUT /sessions/{id}', () => {
      it('replaces data, bumps the version and honours If-Match', async () => {
        const session = await create({ data: { a: 1 } });
        const replaced = await api.request('PUT', `/sessions/${session.id}`, { json: { data: { b: 2 } }, headers: { 'if-match': '"1"' } });
        expect(replaced.status).toBe(200);
        expect(replaced.body).toMatchObject({ id: session.id, data: { b: 2 }, version: 2 });
        expect(replaced.headers.get('etag')).toBe('"2"');
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: { data: {} }, headers: { 'if-match': '"1"' } }), 412);
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: { data: {} }, headers: { 'if-match': 'W/"2"' } }), 412);
        const unconditional = await api.request('PUT', `/sessions/${session.id}`, { json: { data: { c: 3 } } });
        expect(unconditional.body).toMatchObject({ data: { c: 3 }, version: 3 });
      });

      it('answers 404 for missing and expired sessions, 400 for bad bodies', async () => {
        expectProblem(await api.request('PUT', `/sessions/${MISSING_ID}`, { json: { data: {} } }), 404);
        const session = await create({ ttlSeconds: 1 });
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: { data: [] } }), 400);
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: { data: {}, extra: 1 } }), 400);
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: {} }), 400);
        api.clock.advance(1_000);
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: { data: {} } }), 404);
      });
    });

    describe('PATCH /sessions/{id}', () => {
      it('merges by RFC 7386 and honours If-Match', async () => {
        const session = await create({ data: { a: 1, b: { c: 2, d: 3 } } });
        const patched = await api.request('PATCH', `/sessions/${session.id}`, { json: { data: { a: null, b: { d: null, e: 4 } } } });
        expect(patched.status).toBe(200);
        expect(patched.body).toMatchObject({ data: { b: { c: 2, e: 4 } }, version: 2 });
        expectProblem(await api.request('PATCH', `/sessions/${session.id}`, { json: { data: { x: 1 } }, headers: { 'if-match': '"1"' } }), 412);
        const conditional = await api.request('PATCH', `/sessions/${session.id}`, { json: { data: { x: 1 } }, headers: { 'if-match': '"2"' } });
        expect(conditional.body).toMatchObject({ version: 3, data: { b: { c: 2, e: 4 }, x: 1 } });
        expectProblem(await api.request('PATCH', `/sessions/${MISSING_ID}`, { json: { data: {} } }), 404);
      });

      it('loses none of many concurrent patches', async () => {
        const session = await create();
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) => api.request('PATCH', `/sessions/${session.id}`, { json: { data: { [`k${i}`]: i } } })),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
        const final = (await api.request('GET', `/sessions/${session.id}`)).body;
        expect(final.version).toBe(21);
        expect(Object.keys(final.data)).toHaveLength(20);
      });

      it('lets exactly one of many concurrent PUTs with the same If-Match win', async () => {
        const session = await create();
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            api.request('PUT', `/sessions/${session.id}`, { json: { data: { i } }, headers: { 'if-match': '"1"' } }),
          ),
        );
        const statuses = responses.map((r) => r.status).sort();
        expect(statuses).toEqual([200, ...Array(19).fill(412)]);
      });
    });

    describe('POST /sessions/{id}/rotate', () => {
      it('logs in: an anonymous session moves to a new handle and token of the user, with its data and version carried on', async () => {
        const made = await api.request('POST', '/sessions', { json: { data: { cart: ['sku-1'] }, ttlSeconds: 60 } });
        const anonymous = made.body as { id: string; token: string; createdAt: string };
        api.clock.advance(1_000);
        const rotated = await api.request('POST', `/sessions/${anonymous.id}/rotate`, { json: { userId: 'rotating-user' } });
        expect(rotated.status).toBe(200);
        expect(rotated.body).toMatchObject({ userId: 'rotating-user', data: { cart: ['sku-1'] }, version: 2, createdAt: anonymous.createdAt });
        expect(rotated.body.id).not.toBe(anonymous.id);
        expect(rotated.body.token).not.toBe(anonymous.token);
        expect(rotated.headers.get('etag')).toBe('"2"');
        expect(Date.parse(rotated.body.expiresAt)).toBe(api.clock.now() + 60_000);
        expectProblem(await api.request('GET', `/sessions/${anonymous.id}`), 404);
        expectProblem(await api.request('GET', '/sessions/current', { headers: { 'session-token': anonymous.token } }), 404);
        const current = await api.request('GET', '/sessions/current', { headers: { 'session-token': rotated.body.token } });
        expect(current.body.id).toBe(rotated.body.id);
        const listed = await api.request('GET', '/sessions/user/rotating-user');
        expect(listed.body.sessions.map((s: { id: string }) => s.id)).toEqual([rotated.body.id]);
      });

      it('keeps the old token resolving to the new session for graceSeconds, never longer; the old handle stops at once', async () => {
        const session = (await api.request('POST', '/sessions', { json: { userId: 'grace-user', ttlSeconds: 60 } })).body as { id: string; token: string };
        const rotated = await api.request('POST', `/sessions/${session.id}/rotate`, { json: { graceSeconds: 5 } });
        expect(rotated.status).toBe(200);
        expect(rotated.body.userId).toBe('grace-user');
        expectProblem(await api.request('GET', `/sessions/${session.id}`), 404);
        expectProblem(await api.request('PUT', `/sessions/${session.id}`, { json: { data: {} } }), 404);
        api.clock.advance(4_999);
        const within = await api.request('GET', '/sessions/current', { headers: { 'session-token': session.token } });
        expect(within.body.id).toBe(rotated.body.id);
        api.clock.advance(1);
        expectProblem(await api.request('GET', '/sessions/current', { headers: { 'session-token': session.token } }), 404);
      });

      it('takes the login\'s device context: given fields replace the session\'s own, the rest carry over; a bad one is 400 and rotates nothing', async () => {
        const anonymous = (await api.request('POST', '/sessions', { json: { ip: '203.0.113.7', device: 'Ada\'s phone' } })).body as { id: string };
        expectProblem(await api.request('POST', `/sessions/${anonymous.id}/rotate`, { json: { userId: 'context-user', ip: '999.1.1.1' } }), 400);
        const authenticatedAt = new Date(api.clock.now()).toISOString();
        const rotated = await api.request('POST', `/sessions/${anonymous.id}/rotate`, {
          json: { userId: 'context-user', ip: '2001:DB8::0:1', authenticatedAt, authMethods: ['password', 'webauthn'] },
        });
        expect(rotated.status).toBe(200);
        expect(rotated.body).toMatchObject({ ip: '2001:db8::1', device: "Ada's phone", authenticatedAt, authMethods: ['password', 'webauthn'], version: 2 });
        const fresh = await api.request('GET', `/sessions/${rotated.body.id}?maxAuthAgeSeconds=60`);
        expect(fresh.status).toBe(200);
        expect(fresh.body).toMatchObject({ ip: '2001:db8::1', device: "Ada's phone", authenticatedAt });
      });

      it('needs no body; refuses another user (409), a bad grace (400), a wrong If-Match (412) and a missing session (404)', async () => {
        const session = (await api.request('POST', '/sessions', { json: { userId: 'owner-user' } })).body as { id: string };
        expectProblem(await api.request('POST', `/sessions/${session.id}/rotate`, { json: { userId: 'someone-else' } }), 409);
        expectProblem(await api.request('POST', `/sessions/${session.id}/rotate`, { json: { graceSeconds: 61 } }), 400);
        expectProblem(await api.request('POST', `/sessions/${session.id}/rotate`, { json: { graceSeconds: 1.5 } }), 400);
        expectProblem(await api.request('POST', `/sessions/${session.id}/rotate`, { headers: { 'if-match': '"2"' } }), 412);
        expectProblem(await api.request('POST', `/sessions/${MISSING_ID}/rotate`), 404);
        const same = await api.request('POST', `/sessions/${session.id}/rotate`, { json: { userId: 'owner-user' }, headers: { 'if-match': '"1"' } });
        expect(same.status).toBe(200);
        const bare = await api.request('POST', `/sessions/${same.body.id}/rotate`);
        expect(bare.status).toBe(200);
        expect(bare.body.version).toBe(3);
      });
    });

    describe('POST /sessions/{id}/refresh', () => {
      it('extends expiresAt to now + ttl', async () => {
        const session = await create({ ttlSeconds: 60 });
        api.clock.advance(30_000);
        const refreshed = await api.request('POST', `/sessions/${session.id}/refresh`);
        expect(refreshed.status).toBe(200);
        expect(Date.parse(refreshed.body.expiresAt)).toBe(api.clock.now() + 60_000);
        expect(refreshed.body.version).toBe(2);
        expectProblem(await api.request('POST', `/sessions/${MISSING_ID}/refresh`), 404);
        expectProblem(await api.request('POST', `/sessions/${session.id}/refresh`, { headers: { 'if-match': '"1"' } }), 412);
      });

      it('within the touch interval (60 s) answers the session unchanged; lastActiveAt moves once per interval', async () => {
        const session = await create({ ttlSeconds: 3600 });
        const created = await api.request('GET', `/sessions/${session.id}`);
        expect(created.body.lastActiveAt).toBe(created.body.createdAt);
        api.clock.advance(59_999);
        const throttled = await api.request('POST', `/sessions/${session.id}/refresh`);
        expect(throttled.status).toBe(200);
        expect(throttled.body).toEqual(created.body);
        expect(throttled.headers.get('etag')).toBe('"1"');
        api.clock.advance(1);
        const written = await api.request('POST', `/sessions/${session.id}/refresh`);
        expect(written.body).toMatchObject({ version: 2, lastActiveAt: new Date(api.clock.now()).toISOString() });
        api.clock.advance(59_999);
        expect((await api.request('POST', `/sessions/${session.id}/refresh`)).body).toEqual(written.body);
      });

      it('never passes the absolute timeout of 7 days', async () => {
        const session = await create({ ttlSeconds: 86_400 });
        const deadline = api.clock.now() + 7 * 86_400_000;
        for (let day = 0; day < 6; day++) {
          api.clock.advance(86_000_000);
          expect((await api.request('POST', `/sessions/${session.id}/refresh`)).status).toBe(200);
        }
        api.clock.advance(86_000_000);
        const last = await api.request('POST', `/sessions/${session.id}/refresh`);
        expect(Date.parse(last.body.expiresAt)).toBe(deadline);
        api.clock.set(deadline);
        expectProblem(await api.request('GET', `/sessions/${session.id}`), 404);
      });
    });

    describe('DELETE /sessions/{id}', () => {
      it('ends a session once', async () => {
        const session = await create();
        const deleted = await api.request('DELETE', `/sessions/${session.id}`);
        expect(deleted.status).toBe(200);
        expect(deleted.body).toEqual({ deleted: true, id: session.id });
        expectProblem(await api.request('GET', `/sessions/${session.id}`), 404);
        expectProblem(await api.request('DELETE', `/sessions/${session.id}`), 404);
        expectProblem(await api.request('DELETE', '/sessions/nope'), 404);
      });
    });

    describe('listing', () => {
      it('pages one user\u2019s sessions: each live one exactly once', async () => {
        const userId = user();
        const ids = new Set<string>();
        for (let i = 0; i < 7; i++) {
          const response = await api.request('POST', '/sessions', { json: { userId, ttlSeconds: i < 2 ? 1 : 3600 } });
          if (i >= 2) ids.add(response.body.id);
        }
        api.clock.advance(1_000);
        const pages = await allPages(async (cursor) => {
          const page = await api.request('GET', `/sessions/user/${encodeURIComponent(userId)}${pageQuery(2, cursor)}`);
          expect(page.status).toBe(200);
          expect(page.body.count).toBe(page.body.sessions.length);
          expect(page.body.sessions.length).toBeLessThanOrEqual(2);
          for (const s of page.body.sessions) expect(s.userId).toBe(userId);
          return page.body as ListingPage;
        });
        expect(idsOf(pages).sort()).toEqual([...ids].sort());
      });

      it('pages all sessions without duplicates, expired and deleted ones absent', async () => {
        const kept = await create();
        const gone = await create();
        await api.request('DELETE', `/sessions/${gone.id}`);
        const pages = await allPages(async (cursor) => {
          const page = await api.request('GET', `/sessions${pageQuery(3, cursor)}`);
          expect(page.status).toBe(200);
          return page.body as ListingPage;
        });
        const seen = idsOf(pages);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toContain(kept.id);
        expect(seen).not.toContain(gone.id);
      });

      it('answers a cursor of another listing with 400: another user\u2019s, or everyone\u2019s and back', async () => {
        const [first, second] = [user(), user()];
        for (const userId of [first, first, second, second]) await create({ userId });
        const cursorOf = async (path: string): Promise<string> => {
          const page = await api.request('GET', `${path}?limit=1`);
          expect(page.status).toBe(200);
          expect(page.body.nextCursor).toEqual(expect.any(String));
          return page.body.nextCursor as string;
        };
        const firstCursor = await cursorOf(`/sessions/user/${encodeURIComponent(first)}`);
        const everyoneCursor = await cursorOf('/sessions');
        for (const [path, cursor] of [
          [`/sessions/user/${encodeURIComponent(second)}`, firstCursor],
          ['/sessions', firstCursor],
          [`/sessions/user/${encodeURIComponent(first)}`, everyoneCursor],
        ] as const) {
          expectProblem(await api.request('GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`), 400);
        }
        // Its own listing still takes it.
        const own = await api.request('GET', `/sessions/user/${encodeURIComponent(first)}?limit=1&cursor=${encodeURIComponent(firstCursor)}`);
        expect(own.status).toBe(200);
        expect(own.body.sessions).toHaveLength(1);
      });

      it('defaults to 100 a page and answers an unknown user with an empty page', async () => {
        const response = await api.request('GET', `/sessions/user/${encodeURIComponent(user())}`);
        expect(response.body).toEqual({ sessions: [], count: 0, nextCursor: null });
      });

      it.each([
        ['?limit=0'],
        ['?limit=1001'],
        ['?limit=abc'],
        ['?limit=-1'],
        ['?limit=1.5'],
        ['?limit=1&limit=2'],
        ['?cursor=%20bad'],
        ['?cursor=AAAAAAAA'],
        ['?cursor=' + 'A'.repeat(3000)],
        ['?sort=desc'],
      ])('answers %s with 400', async (query) => {
        expectProblem(await api.request('GET', `/sessions${query}`), 400);
        expectProblem(await api.request('GET', `/sessions/user/someone${query}`), 400);
      });

      it('DELETE /sessions/user/{userId} logs a user out everywhere', async () => {
        const userId = user();
        for (let i = 0; i < 3; i++) await api.request('POST', '/sessions', { json: { userId } });
        const other = await create();
        const response = await api.request('DELETE', `/sessions/user/${encodeURIComponent(userId)}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ deleted: 3 });
        expect((await api.request('GET', `/sessions/user/${encodeURIComponent(userId)}`)).body.count).toBe(0);
        expect((await api.request('GET', `/sessions/${other.id}`)).status).toBe(200);
        expect((await api.request('DELETE', `/sessions/user/${encodeURIComponent(userId)}`)).body).toEqual({ deleted: 0 });
      });

      it('DELETE /sessions/user/{userId}?except= logs out the other devices, and GET …/count counts the live sessions', async () => {
        const userId = user();
        const path = `/sessions/user/${encodeURIComponent(userId)}`;
        expect((await api.request('GET', `${path}/count`)).body).toEqual({ count: 0 });
        const mine = await api.request('POST', '/sessions', { json: { userId } });
        for (let i = 0; i < 3; i++) await api.request('POST', '/sessions', { json: { userId } });
        const other = await create();
        const counted = await api.request('GET', `${path}/count`);
        expect(counted.status).toBe(200);
        expect(counted.body).toEqual({ count: 4 });
        const response = await api.request('DELETE', `${path}?except=${mine.body.id}`);
        expect(response.body).toEqual({ deleted: 3 });
        expect((await api.request('GET', `/sessions/${mine.body.id}`)).status).toBe(200);
        expect((await api.request('GET', `${path}/count`)).body).toEqual({ count: 1 });
        // Another user's handle as `except` keeps nothing of this user's, and ends nothing of theirs.
        expect((await api.request('DELETE', `${path}?except=${other.id}`)).body).toEqual({ deleted: 1 });
        expect((await api.request('GET', `/sessions/${other.id}`)).status).toBe(200);
        expect((await api.request('GET', `${path}/count`)).body).toEqual({ count: 0 });
        // `except` must be a handle; nothing else is a query of this route.
        for (const query of ['?except=', '?except=nope', `?except=${mine.body.id}x`, `?except=${mine.body.id}&except=${other.id}`, '?limit=1']) {
          const refused = await api.request('DELETE', `${path}${query}`);
          expectProblem(refused, 400);
        }
        expect((await api.request('GET', `/sessions/${other.id}`)).status).toBe(200);
      });
    });

    describe('probes and routing', () => {
      it('GET /health and GET /ready answer 200', async () => {
        expect((await api.request('GET', '/health')).status).toBe(200);
        expect((await api.request('GET', '/ready')).status).toBe(200);
      });

      it('answers an unknown route with 404 and a wrong method with 405 and Allow', async () => {
        expectProblem(await api.request('GET', '/nope'), 404);
        expectProblem(await api.request('GET', '/sessions/a/b/c'), 404);
        const wrong = await api.request('PATCH', '/sessions');
        expectProblem(wrong, 405);
        expect(wrong.headers.get('allow')).toContain('POST');
        expect(wrong.headers.get('allow')).toContain('GET');
        expectProblem(await api.request('DELETE', '/health'), 405);
      });

      it('echoes a sane X-Request-Id and makes one otherwise', async () => {
        expect((await api.request('GET', '/health', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
        expect((await api.request('GET', '/health', { headers: { 'x-request-id': 'bad id\t' } })).headers.get('x-request-id')).toMatch(UUID);
      });
    });

    describe('device context and reauthentication', () => {
      const ago = (ms: number) => new Date(api.clock.now() - ms).toISOString();
      const createWithToken = async (body: Record<string, unknown>) => {
        const userId = user();
        const response = await api.request('POST', '/sessions', { json: { userId, ...body } });
        expect(response.status, response.text).toBe(201);
        return { userId, ...(response.body as { id: string; token: string } & Record<string, unknown>) };
      };

      it('stores the context given at create and shows it on the session, on reads and in the user listing', async () => {
        const authenticatedAt = ago(5000);
        const created = await createWithToken({
          ip: '2001:DB8:0:0::7',
          userAgent: 'Mozilla/5.0 "quoted" \u00fc',
          device: 'Ada\u2019s phone',
          authenticatedAt,
          authMethods: ['webauthn', 'password'],
        });
        const context = { ip: '2001:db8::7', userAgent: 'Mozilla/5.0 "quoted" \u00fc', device: 'Ada\u2019s phone', authenticatedAt, authMethods: ['webauthn', 'password'] };
        expect(created).toMatchObject(context);
        expect((await api.request('GET', `/sessions/${created.id}`)).body).toMatchObject(context);
        expect((await api.request('GET', '/sessions/current', { headers: { 'Session-Token': created.token } })).body).toMatchObject(context);
        expect((await api.request('POST', `/sessions/${created.id}/refresh`)).body).toMatchObject(context);
        const listed = (await api.request('GET', `/sessions/user/${encodeURIComponent(created.userId)}`)).body as { sessions: Record<string, unknown>[] };
        expect(listed.sessions).toEqual([expect.objectContaining(context)]);
      });

      it('shows no context fields for a session created without them', async () => {
        const session = await create();
        for (const field of ['ip', 'userAgent', 'device', 'authenticatedAt', 'authMethods']) expect(session).not.toHaveProperty(field);
      });

      it.each([
        { ip: '10.0.0.256' },
        { ip: 'fe80::1%eth0' },
        { userAgent: 'x'.repeat(513) },
        { device: '' },
        { authMethods: ['password', 'password'] },
        { authMethods: [] },
        { authMethods: Array.from({ length: 9 }, (_, i) => `m${i}`) },
        { authenticatedAt: 'yesterday' },
        { authenticatedAt: "2999-01-01T00:00:00.000Z" },
      ])('refuses a create with %j as a 400 problem', async (context) => {
        expectProblem(await api.request('POST', '/sessions', { json: { userId: user(), ...context } }), 400);
      });

      it('answers GET /sessions/{id} and /sessions/current with maxAuthAgeSeconds while the authentication is fresh, 403 once it is not', async () => {
        const fresh = await createWithToken({ authenticatedAt: ago(1000) });
        expect((await api.request('GET', `/sessions/${fresh.id}?maxAuthAgeSeconds=3600`)).status).toBe(200);
        expect((await api.request('GET', '/sessions/current?maxAuthAgeSeconds=3600', { headers: { 'Session-Token': fresh.token } })).status).toBe(200);
        const stale = await createWithToken({ authenticatedAt: ago(7_200_000) });
        const unknown = await createWithToken({ device: 'kiosk' });
        for (const session of [stale, unknown]) {
          for (const response of [
            await api.request('GET', `/sessions/${session.id}?maxAuthAgeSeconds=3600`),
            await api.request('GET', '/sessions/current?maxAuthAgeSeconds=3600', { headers: { 'Session-Token': session.token } }),
          ]) {
            expectProblem(response, 403);
            expect((response.body as { type: string }).type).toMatch(/reauthentication-required$/);
          }
        }
        expect((await api.request('GET', `/sessions/${stale.id}`)).status).toBe(200);
        expectProblem(await api.request('GET', `/sessions/${MISSING_ID}?maxAuthAgeSeconds=3600`), 404);
      });

      it('counts an authentication exactly maxAuthAgeSeconds old as fresh, one millisecond older as not', async () => {
        const session = await createWithToken({ authenticatedAt: ago(0) });
        api.clock.advance(60_000);
        expect((await api.request('GET', `/sessions/${session.id}?maxAuthAgeSeconds=60`)).status).toBe(200);
        api.clock.advance(1);
        expectProblem(await api.request('GET', `/sessions/${session.id}?maxAuthAgeSeconds=60`), 403);
      });

      it.each(['-1', '1.5', 'abc', '', '31536001', '999999999'])('refuses maxAuthAgeSeconds=%s as a 400 problem', async (value) => {
        const session = await createWithToken({ authenticatedAt: ago(1000) });
        expectProblem(await api.request('GET', `/sessions/${session.id}?maxAuthAgeSeconds=${value}`), 400);
        expectProblem(await api.request('GET', `/sessions/current?maxAuthAgeSeconds=${value}`, { headers: { 'Session-Token': session.token } }), 400);
      });
    });
  });
}
