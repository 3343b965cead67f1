import { afterEach, describe, expect, it } from 'vitest';
import { createSessionClient, SessionApiError, SessionClientFailure, type SessionClientOptions } from '../../client/index.js';
import { answer, cutOff, startScriptedServer, unavailable, type ScriptedServer, type Step } from './scripted-server.js';

const TOKEN = 'retry-test-api-token-0123456789';
const ID = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';
const session = { id: ID, data: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', lastActiveAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-02T00:00:00.000Z', version: 1 };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientOf(steps: readonly Step[], options: Partial<SessionClientOptions> = {}) {
  server = await startScriptedServer(steps);
  return { client: createSessionClient({ baseUrl: server.url, apiToken: TOKEN, timeoutMs: 10_000, ...options }), seen: server.seen };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call succeeded'),
    (reason: unknown) => reason,
  );
}

describe('retries of idempotent calls on 503', () => {
  it('waits the seconds Retry-After asks for, then sends again', async () => {
    const { client, seen } = await clientOf([unavailable('1'), answer(200, session)]);
    expect(await client.get(ID)).toEqual(session);
    expect(seen).toHaveLength(2);
    const waited = (seen[1]?.at ?? 0) - (seen[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(5000);
    for (const request of seen) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('takes Retry-After as an HTTP date', async () => {
    const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    const { client, seen } = await clientOf([unavailable(at.toUTCString()), answer(200, { status: 'ok' })], { maxRetryWaitMs: 5000 });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.at ?? 0).toBeGreaterThanOrEqual(at.getTime() - 50);
  });

  it('retries PUT and DELETE too, and gives up after `retries` with the last problem', async () => {
    const put = await clientOf([unavailable('0'), answer(200, session)]);
    expect(await put.client.replace(ID, { a: 1 }, { expectedVersion: 1 })).toEqual(session);
    expect(put.seen.map((request) => [request.method, request.headers['if-match']])).toEqual([
      ['PUT', '"1"'],
      ['PUT', '"1"'],
    ]);
    await server?.close();
    const del = await clientOf([unavailable('0')], { retries: 2 });
    const error = await failure(del.client.delete(ID));
    expect(error).toBeInstanceOf(SessionApiError);
    expect(error).toMatchObject({ slug: 'store-unavailable', status: 503, retryAfterMs: 0, operationId: 'deleteSession' });
    expect(del.seen).toHaveLength(3);
  });

  it('backs off on a 503 without Retry-After', async () => {
    const { client, seen } = await clientOf([unavailable(undefined), answer(200, { count: 2 })]);
    expect(await client.countByUser('user-1')).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('does not retry when Retry-After asks for more than maxRetryWaitMs, or more than the deadline leaves', async () => {
    const capped = await clientOf([unavailable('30'), answer(200, session)], { maxRetryWaitMs: 2000 });
    const started = Date.now();
    expect(await failure(capped.client.get(ID))).toMatchObject({ slug: 'store-unavailable', retryAfterMs: 30_000 });
    expect(capped.seen).toHaveLength(1);
    await server?.close();
    const late = await clientOf([unavailable('2'), answer(200, session)], { maxRetryWaitMs: 5000, timeoutMs: 1000 });
    expect(await failure(late.client.get(ID))).toMatchObject({ slug: 'store-unavailable', retryAfterMs: 2000 });
    expect(late.seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never retries POST or PATCH (a create, a rotation or a merge sent twice is two writes), nor /ready', async () => {
    const { client, seen } = await clientOf([unavailable('0')]);
    await expect(client.create({ userId: 'u' })).rejects.toMatchObject({ slug: 'store-unavailable' });
    await expect(client.patch(ID, { a: 1 })).rejects.toMatchObject({ slug: 'store-unavailable' });
    await expect(client.rotate(ID)).rejects.toMatchObject({ slug: 'store-unavailable' });
    await expect(client.refresh(ID)).rejects.toMatchObject({ slug: 'store-unavailable' });
    await server?.close();
    const probe = await clientOf([unavailable('1', 'draining'), answer(200, { status: 'ready' })]);
    await expect(probe.client.ready()).rejects.toMatchObject({ slug: 'draining', status: 503, retryAfterMs: 1000 });
    expect(probe.seen).toHaveLength(1);
    expect(seen.map((request) => request.method)).toEqual(['POST', 'PATCH', 'POST', 'POST']);
  });

  it('retries an idempotent call whose connection failed, but not a POST', async () => {
    const get = await clientOf([cutOff, answer(200, session)]);
    expect(await get.client.get(ID)).toEqual(session);
    expect(get.seen).toHaveLength(2);
    await server?.close();
    const post = await clientOf([cutOff, answer(201, session)]);
    const error = await failure(post.client.create());
    expect(error).toBeInstanceOf(SessionClientFailure);
    expect(error).toMatchObject({ kind: 'network', attempts: 1, operationId: 'createSession' });
    expect(post.seen).toHaveLength(1);
  });

  it('a connection cut mid-body is a failed attempt: retried for a GET', async () => {
    const halfBody: Step = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"id":');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const { client, seen } = await clientOf([halfBody, answer(200, session)]);
    expect(await client.get(ID)).toEqual(session);
    expect(seen).toHaveLength(2);
  });

  it('a refused connection fails as network after the retries, naming neither path nor user', async () => {
    server = await startScriptedServer([answer(200, {})]);
    const { url } = server;
    await server.close();
    server = undefined;
    const client = createSessionClient({ baseUrl: url, apiToken: TOKEN, retries: 1 });
    const error = await failure(client.countByUser('secret-user-name'));
    expect(error).toMatchObject({ kind: 'network', attempts: 2, operationId: 'countUserSessions' });
    expect((error as Error).message).toBe('countUserSessions: the connection failed (ECONNREFUSED)');
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toMatch(/secret-user-name|retry-test-api-token/);
  });

  it('an answer that is no problem of the service is unexpected-response, never retried unless 503', async () => {
    const { client, seen } = await clientOf([
      (_request, response) => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html>Bad gateway</html>');
      },
    ]);
    const error = await failure(client.get(ID));
    expect(error).toMatchObject({ slug: 'unexpected-response', status: 502, type: '' });
    expect((error as Error).message).not.toContain('<html>');
    expect(seen).toHaveLength(1);
  });
});
