import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionClient, isSessionApiError, SessionApiError, type SessionClient } from '../../client/index.js';
import { createOpenApiResponseCheck } from '../support/openapi-validator.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import type { OpenedTestStore } from '../http/http-api-suite.js';

const API_TOKEN = 'client-suite-api-token-0123456789';
const MISSING_ID = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';
const checkAgainstDocument = createOpenApiResponseCheck();

/**
 * The real fetch, with every answer held against the server's OpenAPI document on the way: a
 * client that asks for a route or a status the document does not have fails here.
 */
export const checkedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const copy = response.clone();
  const text = await copy.text();
  const contentType = copy.headers.get('content-type');
  let body: unknown = text;
  if (!contentType?.startsWith('text/')) body = text === '' ? undefined : (JSON.parse(text) as unknown);
  const url = new URL(String(input instanceof Request ? input.url : input));
  const problems = checkAgainstDocument(init?.method ?? 'GET', url.pathname + url.search, response.status, contentType, body);
  if (problems.length > 0) throw new Error(`answer does not match openapi.json: ${problems.join('; ')}`);
  return response;
};

/** Expects `promise` to reject with the service's problem of this slug and status. */
export async function expectProblem(promise: Promise<unknown>, slug: SessionApiError['slug'], status: number): Promise<SessionApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SessionApiError);
  expect(error).toMatchObject({ slug, status, type: `urn:session-api:problem:${slug}` });
  return error as SessionApiError;
}

/** Every method of the client against the real server over `openStore`'s store, on a 127.0.0.1 port. */
export function describeSessionClient(storeName: string, openStore: () => Promise<OpenedTestStore>): void {
  describe(`the client against the server on the ${storeName} store`, () => {
    let opened: OpenedTestStore;
    let server: TestServer;
    let client: SessionClient;
    let users = 0;
    const user = () => `${storeName}-client-${++users}-${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      opened = await openStore();
      server = await startTestServer(opened.store, {
        app: { apiTokens: [API_TOKEN], metrics: { registry: new Registry() } },
      });
      client = createSessionClient({ baseUrl: server.url, apiToken: API_TOKEN, timeoutMs: 10_000, fetch: checkedFetch });
    });
    afterAll(async () => {
      await server?.close();
      await opened?.close();
    });

    it('create, then get and resolve by its token', async () => {
      const userId = user();
      const created = await client.create({ userId, data: { theme: 'dark' }, ttlSeconds: 600, device: 'Ada’s phone' });
      expect(created).toMatchObject({ userId, data: { theme: 'dark' }, version: 1, device: 'Ada’s phone', evicted: [] });
      expect(typeof created.token).toBe('string');
      expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(600_000);
      const { token: _token, evicted: _evicted, ...session } = created;
      expect(await client.get(created.id)).toEqual(session);
      expect(await client.resolve(created.token)).toEqual(session);
    });

    it('creates an anonymous session with no input', async () => {
      const created = await client.create();
      expect(created.userId).toBeUndefined();
      expect(created.data).toEqual({});
    });

    it('getIfChanged and resolveIfChanged answer not-modified at the version the caller has', async () => {
      const created = await client.create({ userId: user() });
      expect(await client.getIfChanged(created.id, 1)).toBe('not-modified');
      expect(await client.resolveIfChanged(created.token, 1)).toBe('not-modified');
      await client.patch(created.id, { seen: true });
      expect(await client.getIfChanged(created.id, 1)).toMatchObject({ version: 2, data: { seen: true } });
      expect(await client.resolveIfChanged(created.token, 1)).toMatchObject({ version: 2 });
    });

    it('maxAuthAgeSeconds: 403 reauthentication-required for a session that never said when', async () => {
      const created = await client.create({ userId: user() });
      await expectProblem(client.get(created.id, { maxAuthAgeSeconds: 300 }), 'reauthentication-required', 403);
      await expectProblem(client.resolve(created.token, { maxAuthAgeSeconds: 300 }), 'reauthentication-required', 403);
      const fresh = await client.create({ userId: user(), authenticatedAt: new Date(server.clock.now()).toISOString() });
      expect((await client.get(fresh.id, { maxAuthAgeSeconds: 300 })).id).toBe(fresh.id);
    });

    it('replace and patch, with and without expectedVersion (If-Match)', async () => {
      const created = await client.create({ userId: user(), data: { a: 1, b: 2 } });
      const replaced = await client.replace(created.id, { a: 10 }, { expectedVersion: 1 });
      expect(replaced).toMatchObject({ data: { a: 10 }, version: 2 });
      await expectProblem(client.replace(created.id, { a: 11 }, { expectedVersion: 1 }), 'version-mismatch', 412);
      const merged = await client.patch(created.id, { b: 3, a: null }, { expectedVersion: 2 });
      expect(merged).toMatchObject({ data: { b: 3 }, version: 3 });
      await expectProblem(client.patch(created.id, { c: 1 }, { expectedVersion: 2 }), 'version-mismatch', 412);
      expect(await client.patch(created.id, { c: 1 })).toMatchObject({ data: { b: 3, c: 1 }, version: 4 });
    });

    it('refresh moves expiresAt to now + ttl', async () => {
      const created = await client.create({ userId: user(), ttlSeconds: 60 });
      server.clock.advance(30_000);
      const refreshed = await client.refresh(created.id, { expectedVersion: 1 });
      expect(Date.parse(refreshed.expiresAt)).toBe(server.clock.now() + 60_000);
      await expectProblem(client.refresh(created.id, { expectedVersion: 1 }), 'version-mismatch', 412);
    });

    it('rotate logs an anonymous session in: a new handle and token, the old token gone', async () => {
      const anonymous = await client.create({ data: { cart: ['sku-1'] } });
      const userId = user();
      const rotated = await client.rotate(anonymous.id, { userId }, { expectedVersion: 1 });
      expect(rotated).toMatchObject({ userId, data: { cart: ['sku-1'] }, version: 2 });
      expect(rotated.id).not.toBe(anonymous.id);
      expect((await client.resolve(rotated.token)).id).toBe(rotated.id);
      await expectProblem(client.resolve(anonymous.token), 'not-found', 404);
      await expectProblem(client.get(anonymous.id), 'not-found', 404);
      await expectProblem(client.rotate(rotated.id, { userId: user() }), 'user-mismatch', 409);
      expect((await client.rotate(rotated.id)).version).toBe(3);
    });

    it('delete ends a session; a stale expectedVersion is 412 and deletes nothing', async () => {
      const created = await client.create({ userId: user() });
      await expectProblem(client.delete(created.id, { expectedVersion: 7 }), 'version-mismatch', 412);
      expect(await client.delete(created.id, { expectedVersion: 1 })).toEqual({ deleted: true, id: created.id });
      await expectProblem(client.get(created.id), 'not-found', 404);
      await expectProblem(client.delete(created.id), 'not-found', 404);
    });

    it('list and listAll page through every live session', async () => {
      const mine = new Set<string>();
      for (let i = 0; i < 5; i++) mine.add((await client.create({ userId: user() })).id);
      const first = await client.list({ limit: 2 });
      expect(first.sessions).toHaveLength(2);
      expect(first.count).toBe(2);
      expect(first.nextCursor).not.toBeNull();
      const seen: string[] = [];
      for await (const session of client.listAll({ limit: 2 })) seen.push(session.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of mine) expect(seen).toContain(id);
    });

    it('listByUser, listAllByUser, countByUser and deleteByUser with except', async () => {
      const userId = `${user()}/with space&slash`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await client.create({ userId })).id);
      const page = await client.listByUser(userId, { limit: 2 });
      expect(page.sessions).toHaveLength(2);
      const all: string[] = [];
      for await (const session of client.listAllByUser(userId, { limit: 2 })) all.push(session.id);
      expect(all.sort()).toEqual([...ids].sort());
      expect(await client.countByUser(userId)).toBe(3);
      const keep = ids[0] ?? '';
      expect(await client.deleteByUser(userId, { except: keep })).toBe(2);
      expect(await client.countByUser(userId)).toBe(1);
      expect(await client.deleteByUser(userId)).toBe(1);
      expect(await client.countByUser(userId)).toBe(0);
      expect((await client.listByUser(userId)).sessions).toEqual([]);
    });

    it('health, ready, metrics and the OpenAPI document', async () => {
      expect(await client.health()).toEqual({ status: 'ok' });
      expect(await client.ready()).toEqual({ status: 'ready' });
      expect(await client.metrics()).toMatch(/^# HELP /m);
      expect((await client.openApiDocument())['openapi']).toBe('3.1.0');
    });

    it('answers problems as SessionApiError: invalid input, an unknown session, a taken token', async () => {
      const invalid = await expectProblem(client.create({ ttlSeconds: 0 }), 'invalid-input', 400);
      expect(invalid.detail).toMatch(/ttlSeconds/);
      expect(invalid.message).toMatch(/^createSession: 400 Invalid input: /);
      await expectProblem(client.get(MISSING_ID), 'not-found', 404);
      await expectProblem(client.resolve('no-such-token-0123456789abcdef'), 'not-found', 404);
      const token = `caller-token-${Math.random().toString(36).slice(2)}-0123456789`;
      await client.create({ userId: user(), token });
      const taken = await expectProblem(client.create({ userId: user(), token }), 'token-taken', 409);
      expect(isSessionApiError(taken, 'token-taken')).toBe(true);
      expect(isSessionApiError(taken, 'not-found')).toBe(false);
    });

    it('a wrong API token is 401 unauthorized, and no error of the client quotes a token', async () => {
      const wrong = createSessionClient({ baseUrl: server.url, apiToken: 'wrong-token-0123456789', fetch: checkedFetch });
      const error = await expectProblem(wrong.list(), 'unauthorized', 401);
      const created = await client.create({ userId: user() });
      const missing = await expectProblem(client.resolve(`${created.token}x`), 'not-found', 404);
      for (const text of [error.message, error.detail, missing.message, missing.detail, JSON.stringify(error), String(error.stack)]) {
        expect(text).not.toContain('wrong-token-0123456789');
        expect(text).not.toContain(API_TOKEN);
        expect(text).not.toContain(created.token);
      }
    });
  });
}
