import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import type { Session } from '../../core/index.js';
import { countRequests, type RequestCounter } from '../support/dynalite-server.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';
import { randomBytes } from 'node:crypto';
import { handleIn, homeOfUser, sessionAt, T0 } from '../support/session-fixtures.js';


let dynamo: DynamoTestStore;
let client: DynamoDBDocumentClient;
let store: DynamoSessionStore;
let requests: RequestCounter;
let afterFirstUserPage: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dynamo = await openDynamoTestStore();
  ({ client, store } = dynamo);
  requests = countRequests(client);
  // Runs the armed callback once, when the first page of a Query of a user's home has been
  // answered and before its caller sees it: the moment a write lands behind the page just read.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { KeyConditionExpression?: string; ExclusiveStartKey?: unknown };
      const hook = afterFirstUserPage;
      if (
        hook !== undefined &&
        context.commandName === 'QueryCommand' &&
        input.KeyConditionExpression === '#home = :home' &&
        input.ExclusiveStartKey === undefined
      ) {
        afterFirstUserPage = undefined;
        await hook();
      }
      return result;
    },
    { step: 'initialize', name: 'afterFirstUserPage' },
  );
});

afterAll(() => dynamo?.close());

beforeEach(() => {
  afterFirstUserPage = undefined;
  requests.reset();
});

// 20 sessions of 60 KiB are 1.2 MB: more than one Query page (1 MB) of the user's home.
const PAGES_OF_SESSIONS = 20;
const BIG_DATA = { blob: 'x'.repeat(60 * 1024) };

async function createSessions(userId: string, count: number, data: Session['data'] = {}): Promise<Session[]> {
  const sessions = Array.from({ length: count }, (_, i) => sessionAt({ userId, data, expiresAt: T0 + 60_000 + i }));
  // Ten at a time: 2,000 one by one would spend most of the test waiting on round trips.
  for (let start = 0; start < count; start += 10) {
    const created = await Promise.all(sessions.slice(start, start + 10).map((session) => store.create(session, T0)));
    expect(created.every((outcome) => outcome === 'created')).toBe(true);
  }
  return sessions;
}

/** Every session of `sessions` still live at `now`. */
async function liveOf(sessions: readonly Session[], now: number): Promise<string[]> {
  const live: string[] = [];
  for (const session of sessions) if ((await store.get(session.id, now)) !== undefined) live.push(session.id);
  return live;
}

describe('deleteByUser while the sessions are in use', () => {
  it('ends every session live when it started, across Query pages, while refreshes move them along the index', async () => {
    const userId = `refreshed-${sessionAt().id}`;
    const sessions = await createSessions(userId, PAGES_OF_SESSIONS, BIG_DATA);
    const versions = new Map(sessions.map((s) => [s.id, s.version]));
    const deadlines = new Map(sessions.map((s) => [s.id, s.expiresAt]));
    const refresh = async (id: string): Promise<void> => {
      const expectedVersion = versions.get(id) ?? 1;
      // Each refresh moves its session past every other one in the index's order.
      // (The index is ranged by id, so nothing moves; the test keeps the pressure of writes.)
      const change = { expectedVersion, slide: true, absoluteTimeout: 3_600_000 };
      const written = await store.update(id, change, T0 + 1);
      if (typeof written !== 'string') {
        versions.set(id, written.version);
        deadlines.set(id, written.expiresAt);
      }
    };
    // Between the first page and the next, every session moves behind the page's end, so the
    // next pages read each of them again.
    afterFirstUserPage = async () => {
      for (const session of sessions) await refresh(session.id);
    };
    // And clients keep refreshing their sessions all the while.
    let deleting = true;
    const inUse = (async () => {
      for (let i = 0; deleting; i++) await refresh(sessions[i % sessions.length]!.id);
    })();
    const deleted = await store.deleteByUser(userId, T0 + 1).finally(() => {
      deleting = false;
    });
    await inUse;
    expect(afterFirstUserPage).toBeUndefined();
    expect(deleted).toBe(PAGES_OF_SESSIONS);
    expect(await liveOf(sessions, T0 + 1)).toEqual([]);
    expect((await store.listByUser(userId, { limit: 100 }, T0 + 1)).sessions).toEqual([]);
  });

  it('counts each session for exactly one of two concurrent calls', async () => {
    const userId = `twice-${sessionAt().id}`;
    const sessions = await createSessions(userId, 80);
    const counts = await Promise.all([store.deleteByUser(userId, T0), store.deleteByUser(userId, T0)]);
    expect(counts[0] + counts[1]).toBe(80);
    expect(await liveOf(sessions, T0)).toEqual([]);
  });

  it('counts only the live ones, and removes the expired ones too', async () => {
    const userId = `mixed-${sessionAt().id}`;
    const live = await createSessions(userId, 3);
    const expired = sessionAt({ userId, expiresAt: T0 + 10 });
    expect(await store.create(expired, T0)).toBe('created');
    expect(await store.deleteByUser(userId, T0 + 10)).toBe(3);
    expect(await liveOf(live, T0)).toEqual([]);
    // Gone, not only expired: its id is free again.
    expect(await store.create(sessionAt({ id: expired.id }), T0)).toBe('created');
    expect(await store.deleteByUser(userId, T0 + 10)).toBe(0);
  });

  it("leaves another user's session that took a handle of the listing meanwhile", async () => {
    // `ü` and `uh1135` share a home (USER_HOMES of the conformance suite), so a handle freed in
    // one's listing can be the other's next: the delete must check whose session it removes.
    const expired = sessionAt({ userId: 'ü', expiresAt: T0 + 10 });
    const other = sessionAt({ userId: 'uh1135', id: expired.id, expiresAt: T0 + 60_000 });
    expect(homeOfUser('ü')).toBe(homeOfUser('uh1135'));
    expect(await store.create(expired, T0)).toBe('created');
    afterFirstUserPage = async () => {
      expect(await store.create(other, T0 + 10)).toBe('created');
    };
    expect(await store.deleteByUser('ü', T0 + 10)).toBe(0);
    expect(afterFirstUserPage).toBeUndefined();
    expect(await store.get(other.id, T0 + 10)).toEqual(other);
    expect(await store.deleteByUser('uh1135', T0 + 10)).toBe(1);
  });

  it('sends one Query per page and one DeleteItem per session', async () => {
    const userId = `counted-${sessionAt().id}`;
    await createSessions(userId, 30);
    requests.reset();
    expect(await store.deleteByUser(userId, T0)).toBe(30);
    expect(requests.counts()).toEqual({ Query: 1, DeleteItem: 30 });
    requests.reset();
    expect(await store.deleteByUser(userId, T0)).toBe(0);
    expect(requests.counts()).toEqual({ Query: 1 });
  });

  it('logs out a user with 2,000 sessions', { timeout: 240_000 }, async () => {
    const userId = `many-${sessionAt().id}`;
    const sessions = await createSessions(userId, 2_000);
    const started = performance.now();
    expect(await store.deleteByUser(userId, T0)).toBe(2_000);
    console.info(`deleteByUser of 2,000 sessions on dynalite: ${Math.round(performance.now() - started)} ms`);
    expect((await store.listByUser(userId, { limit: 10 }, T0)).sessions).toEqual([]);
    expect(await liveOf(sessions.slice(0, 50), T0)).toEqual([]);
  });
});

describe('DELETE /sessions/user/{userId} over HTTP, on DynamoDB', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer(store);
  });
  afterAll(() => api?.close());

  it('answers 200 with every session ended while they are refreshed across Query pages, never 500', async () => {
    const userId = `http-${sessionAt().id}`;
    const ids: string[] = [];
    for (let i = 0; i < PAGES_OF_SESSIONS; i++) {
      const created = await api.request('POST', '/sessions', { json: { userId, data: BIG_DATA } });
      expect(created.status, created.text).toBe(201);
      ids.push((created.body as { id: string }).id);
      api.clock.advance(1);
    }
    const refreshAll = async (): Promise<void> => {
      for (const id of ids) {
        api.clock.advance(1);
        const refreshed = await api.request('POST', `/sessions/${id}/refresh`);
        expect([200, 404], refreshed.text).toContain(refreshed.status);
      }
    };
    afterFirstUserPage = refreshAll;
    const response = await api.request('DELETE', `/sessions/user/${userId}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ deleted: PAGES_OF_SESSIONS });
    const listed = await api.request('GET', `/sessions/user/${userId}`);
    expect(listed.body).toMatchObject({ count: 0, sessions: [] });
    for (const id of ids) expect((await api.request('GET', `/sessions/${id}`)).status).toBe(404);
  });
});
