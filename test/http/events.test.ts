import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { SessionStore } from '../../core/index.js';
import { problemType } from '../../transports/http/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { expectProblem } from './http-api-suite.js';

const TOKEN = 'events-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** The memory store with events on, its log's reads counted (how a test sees a long poll polling). */
function countedStore(): { store: SessionStore; reads: () => number } {
  const store = new MemorySessionStore({ events: true });
  const log = store.events!;
  let reads = 0;
  const counted = Object.assign(Object.create(log) as typeof log, {
    read: (...args: Parameters<typeof log.read>) => {
      reads++;
      return log.read(...args);
    },
  });
  Object.defineProperty(store, 'events', { value: counted });
  return { store, reads: () => reads };
}

describe('GET /events', () => {
  let api: TestServer;
  let reads: () => number;
  beforeAll(async () => {
    const counted = countedStore();
    reads = counted.reads;
    api = await startTestServer(counted.store, { app: { apiTokens: [TOKEN] } });
  });
  afterAll(() => api.close());

  const create = async (userId: string) => {
    const response = await api.request('POST', '/sessions', { json: { userId, data: { secret: 'not-in-events' } }, headers: auth });
    expect(response.status).toBe(201);
    return response.body as { id: string; token: string; version: number; expiresAt: string };
  };
  const tail = async (): Promise<string> => {
    let page = await api.request('GET', '/events?limit=1000', { headers: auth });
    let cursor = page.body.cursor as string;
    while (page.body.events.length > 0) {
      page = await api.request('GET', `/events?limit=1000&after=${cursor}`, { headers: auth });
      cursor = page.body.cursor;
    }
    return cursor;
  };

  it('needs the API token', async () => {
    expectProblem(await api.request('GET', '/events'), 401);
    expectProblem(await api.request('GET', '/events', { headers: { authorization: 'Bearer wrong-token-0123456789' } }), 401);
    expect((await api.request('GET', '/events', { headers: auth })).status).toBe(200);
  });

  it('pages through every event in order, from the oldest kept without `after`, with no token and no data', async () => {
    const from = await tail();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await create(`pager-${i}`));
    const patched = await api.request('PATCH', `/sessions/${created[1]!.id}`, { json: { data: { more: 1 } }, headers: auth });
    expect(patched.status).toBe(200);
    expect((await api.request('DELETE', `/sessions/${created[2]!.id}`, { headers: auth })).status).toBe(200);

    const seen: any[] = [];
    const pageSizes: number[] = [];
    let cursor = from;
    for (let pages = 0; pages < 10; pages++) {
      const page = await api.request('GET', `/events?limit=2&after=${cursor}`, { headers: auth });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      pageSizes.push(page.body.events.length);
      expect(typeof page.body.cursor).toBe('string');
      cursor = page.body.cursor;
      if (page.body.events.length === 0) break;
      seen.push(...page.body.events);
    }
    expect(pageSizes).toEqual([2, 2, 2, 1, 0]);
    expect(seen.map((e) => [e.type, e.sessionId, e.reason])).toEqual([
      ...created.map((s) => ['session.created', s.id, undefined]),
      ['session.updated', created[1]!.id, 'patch'],
      ['session.deleted', created[2]!.id, 'logout'],
    ]);
    expect(seen[0]).toEqual({ id: expect.any(String), type: 'session.created', time: '2026-01-01T00:00:00.000Z', sessionId: created[0]!.id, userId: 'pager-0', version: 1 });
    expect(seen[5]).toMatchObject({ userId: 'pager-1', version: 2 });
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    const text = JSON.stringify(seen);
    expect(text).not.toContain('not-in-events');
    for (const session of created) expect(text).not.toContain(session.token);

    // Without `after`: from the oldest event kept, so the first of this store's log.
    const oldest = await api.request('GET', '/events?limit=1', { headers: auth });
    expect(oldest.body.events).toHaveLength(1);
    expect(oldest.body.events[0].type).toBe('session.created');
    const all = await api.request('GET', '/events?limit=1000', { headers: auth });
    expect(all.body.events.slice(-7).map((e: any) => e.id)).toEqual(seen.map((e) => e.id));
  });

  it('keeps `limit` within 1 to 1000 and `waitSeconds` within 0 to 30', async () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'limit=-1', 'limit=1.5', 'waitSeconds=31', 'waitSeconds=-1', 'waitSeconds=1.5', 'waitSeconds=x', 'other=1']) {
      const response = await api.request('GET', `/events?${query}`, { headers: auth });
      expectProblem(response, 400);
      expect(response.body.type).toBe(problemType('invalid-input'));
    }
    expect((await api.request('GET', '/events?limit=1', { headers: auth })).status).toBe(200);
    const most = await api.request('GET', '/events?limit=1000&waitSeconds=0', { headers: auth });
    expect(most.status).toBe(200);
    expect(most.body.events.length).toBeLessThanOrEqual(1000);
  });

  it('refuses a cursor this log did not issue with 400, a listing\u2019s cursor included', async () => {
    await create('cursor-a');
    await create('cursor-b');
    const listing = await api.request('GET', '/sessions?limit=1', { headers: auth });
    expect(listing.body.nextCursor).toEqual(expect.any(String));
    const cursor = (await api.request('GET', '/events?limit=1', { headers: auth })).body.cursor as string;
    for (const after of ['nonsense', '', listing.body.nextCursor, `${cursor}x`, cursor.slice(0, -1), '!!', 'a'.repeat(200_000).slice(0, 3000)]) {
      const response = await api.request('GET', `/events?after=${encodeURIComponent(after)}`, { headers: auth });
      expectProblem(response, 400);
    }
  });

  it('long-polls: an answer comes as soon as an event is recorded', async () => {
    const from = await tail();
    const started = performance.now();
    const waiting = api.request('GET', `/events?after=${from}&waitSeconds=30`, { headers: auth });
    // Let the poll find nothing first, so the event arrives while it waits.
    const readsBefore = reads();
    while (reads() < readsBefore + 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const session = await create('long-poller');
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.events.map((e: any) => [e.type, e.sessionId])).toEqual([['session.created', session.id]]);
    // It answered for the event, not for the end of the wait.
    expect(performance.now() - started).toBeLessThan(25_000);
  });

  it('long-polls: an empty page after waitSeconds when nothing happens, with a cursor to go on from', async () => {
    const from = await tail();
    const started = performance.now();
    const answer = await api.request('GET', `/events?after=${from}&waitSeconds=1`, { headers: auth });
    const waited = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.events).toEqual([]);
    expect(waited).toBeGreaterThanOrEqual(950);
    const session = await create('after-the-wait');
    const next = await api.request('GET', `/events?after=${answer.body.cursor}`, { headers: auth });
    expect(next.body.events.map((e: any) => e.sessionId)).toEqual([session.id]);
  });

  it('stops polling the store when the client goes away', async () => {
    const from = await tail();
    const controller = new AbortController();
    const waiting = fetch(`${api.url}/events?after=${from}&waitSeconds=30`, { headers: auth, signal: controller.signal }).catch((error: unknown) => error);
    const before = reads();
    while (reads() < before + 2) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await waiting).toBeInstanceOf(Error);
    // Polls every 200 ms: within a second of leaving the poll has noticed, then reads no more.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const settled = reads();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reads()).toBe(settled);
  });
});

describe('GET /events with a store that records no events', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(new MemorySessionStore());
  });
  afterAll(() => api.close());

  it('is 404 events-disabled, long poll or not', async () => {
    for (const path of ['/events', '/events?waitSeconds=5', '/events?limit=10']) {
      const response = await api.request('GET', path);
      expectProblem(response, 404);
      expect(response.body.type).toBe(problemType('events-disabled'));
    }
  });
});
