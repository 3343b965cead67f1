import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { SessionEventLog, SessionStore } from '../../core/index.js';
import { problemType } from '../../transports/http/index.js';
import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { openRedisTestStore } from '../support/redis-test-store.js';
import { expectProblem } from './http-api-suite.js';

const TOKEN = 'events-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A store with events on, and how to let go of what it runs on. */
interface EventStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

// Every store of the package, each built with events on.
const STORES: readonly (readonly [string, () => Promise<EventStore>])[] = [
  ['memory', async () => ({ store: new MemorySessionStore({ events: true }), close: async () => {} })],
  [
    'redis',
    async () => {
      const redis = await openRedisTestStore('standalone');
      return { store: redis.freshStore({ events: true }), close: () => redis.close() };
    },
  ],
  [
    'redis cluster',
    async () => {
      const redis = await openRedisTestStore('cluster');
      return { store: redis.freshStore({ events: true }), close: () => redis.close() };
    },
  ],
  [
    'dynamodb',
    async () => {
      const dynamo = await openDynamoTestStore();
      const { store } = await dynamo.freshStore({ events: true });
      return { store, close: () => dynamo.close() };
    },
  ],
];

/** `store` with its log's reads counted (how a test sees a long poll polling); every other call goes to the store itself. */
function counted(store: SessionStore): { store: SessionStore; reads: () => number } {
  const log = store.events!;
  let reads = 0;
  const countedLog: SessionEventLog = {
    read: (...args) => {
      reads++;
      return log.read(...args);
    },
    tail: (...args) => log.tail(...args),
    sweepExpired: (...args) => log.sweepExpired(...args),
    claimConsumer: (...args) => log.claimConsumer(...args),
    saveConsumer: (...args) => log.saveConsumer(...args),
  };
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'events') return countedLog;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, reads: () => reads };
}

/** Each session's events, in the order read: what the log promises to keep in order. */
function bySession(events: readonly any[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const event of events) (grouped[event.sessionId] ??= []).push(event.reason === undefined ? event.type : `${event.type} ${event.reason}`);
  return grouped;
}

describe.each(STORES)('GET /events on the %s store', (_name, open) => {
  let api: TestServer;
  let reads: () => number;
  let opened: EventStore;
  beforeAll(async () => {
    opened = await open();
    const store = counted(opened.store);
    reads = store.reads;
    api = await startTestServer(store.store, { app: { apiTokens: [TOKEN] } });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await opened?.close();
  });

  const create = async (userId: string): Promise<{ id: string; token: string; version: number; expiresAt: string }> => {
    const response = await api.request('POST', '/sessions', { json: { userId, data: { secret: 'not-in-events' } }, headers: auth });
    expect(response.status).toBe(201);
    return response.body;
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
    const created: Awaited<ReturnType<typeof create>>[] = [];
    for (let i = 0; i < 5; i++) created.push(await create(`pager-${i}`));
    const patched = await api.request('PATCH', `/sessions/${created[1]!.id}`, { json: { data: { more: 1 } }, headers: auth });
    expect(patched.status).toBe(200);
    expect((await api.request('DELETE', `/sessions/${created[2]!.id}`, { headers: auth })).status).toBe(200);

    const seen: any[] = [];
    let cursor = from;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(20);
      const page = await api.request('GET', `/events?limit=2&after=${cursor}`, { headers: auth });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.body.events.length).toBeLessThanOrEqual(2);
      expect(typeof page.body.cursor).toBe('string');
      cursor = page.body.cursor;
      // Only an empty page says nothing more is recorded (a store of many partitions may answer short pages).
      if (page.body.events.length === 0) break;
      seen.push(...page.body.events);
    }
    expect(seen).toHaveLength(7);
    expect(bySession(seen)).toEqual({
      ...Object.fromEntries(created.map((s) => [s.id, ['session.created']])),
      [created[1]!.id]: ['session.created', 'session.updated patch'],
      [created[2]!.id]: ['session.created', 'session.deleted logout'],
    });
    const first = seen.find((e) => e.sessionId === created[0]!.id);
    expect(first).toEqual({ id: expect.any(String), type: 'session.created', time: '2026-01-01T00:00:00.000Z', sessionId: created[0]!.id, userId: 'pager-0', version: 1 });
    expect(seen.find((e) => e.type === 'session.updated')).toMatchObject({ userId: 'pager-1', version: 2 });
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    const text = JSON.stringify(seen);
    expect(text).not.toContain('not-in-events');
    for (const session of created) expect(text).not.toContain(session.token);

    // Without `after`: from the oldest event kept, so every event of this store's log, these included.
    const oldest = await api.request('GET', '/events?limit=1', { headers: auth });
    expect(oldest.body.events).toHaveLength(1);
    expect(oldest.body.events[0].type).toBe('session.created');
    const all: any[] = [];
    let page = await api.request('GET', '/events?limit=1000', { headers: auth });
    while (page.body.events.length > 0) {
      all.push(...page.body.events);
      page = await api.request('GET', `/events?limit=1000&after=${page.body.cursor}`, { headers: auth });
    }
    expect(all.map((e) => e.id)).toEqual(expect.arrayContaining(seen.map((e) => e.id)));
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

describe('GET /events long poll', () => {
  it('reads the log as often as the service says (its eventPollIntervalMs), not at a fixed pace', async () => {
    const store = counted(new MemorySessionStore({ events: true }));
    const api = await startTestServer(store.store, { app: { apiTokens: [TOKEN] }, service: { eventPollIntervalMs: 60_000 } });
    try {
      const from = (await api.request('GET', '/events', { headers: auth })).body.cursor as string;
      const before = store.reads();
      const answer = await api.request('GET', `/events?after=${from}&waitSeconds=1`, { headers: auth });
      expect(answer.status).toBe(200);
      // The first read, then one when the wait is up, however early a timer fires on a busy
      // machine (the wait waits out the rest): at the default 200 ms it would be six.
      expect(store.reads() - before).toBe(2);
    } finally {
      await api.close();
    }
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
