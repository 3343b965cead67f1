import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyChange, PayloadTooLargeError, type SessionChange } from '../../core/index.js';
import {
  DynamoSessionStore,
  MAX_ITEM_BYTES,
  sessionItemSize,
  toSessionItem,
} from '../../adapters/dynamodb/index.js';
import { countRequests, type RequestCounter } from '../support/dynalite-server.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { randomBytes } from 'node:crypto';
import { handleIn, sessionAt, T0 } from '../support/session-fixtures.js';


let dynamo: DynamoTestStore;
let client: DynamoDBDocumentClient;
let requests: RequestCounter;
let store: DynamoSessionStore;
let tableName: string;

beforeAll(async () => {
  dynamo = await openDynamoTestStore();
  ({ client, store, tableName } = dynamo);
  requests = countRequests(client);
});

afterAll(() => dynamo?.close());

beforeEach(() => requests.reset());

describe('create and get', () => {
  it('creates a session once and reads it back while it lives', async () => {
    const session = sessionAt();
    expect(await store.create(session, T0)).toBe('created');
    expect(await store.create({ ...session, data: { other: true } }, T0)).toBe('exists');
    expect(await store.get(session.id, T0)).toEqual(session);
    expect(await store.get(session.id, session.expiresAt - 1)).toEqual(session);
    // Live means expiresAt > now: at the deadline it is gone.
    expect(await store.get(session.id, session.expiresAt)).toBeUndefined();
  });

  it('gives an expired session\'s handle to a new one, though DynamoDB has not deleted it yet', async () => {
    const expired = sessionAt({ expiresAt: T0 - 1 });
    expect(await store.create(expired, T0 - 10)).toBe('created');
    expect(await store.create(sessionAt({ id: expired.id }), T0 - 10)).toBe('exists');
    // Once expired, it no longer holds its handle (port v2).
    expect(await store.create(sessionAt({ id: expired.id }), T0)).toBe('created');
  });

  it('returns undefined for an id never written', async () => {
    expect(await store.get(sessionAt().id, T0)).toBeUndefined();
  });

  it('round-trips data keys that name Object.prototype members as plain data', async () => {
    const data = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1},"toString":"x"}');
    const session = sessionAt({ data });
    await store.create(session, T0);
    const read = await store.get(session.id, T0);
    expect(Object.getPrototypeOf(read?.data)).toBe(Object.prototype);
    expect(Object.keys(read?.data ?? {})).toEqual(['__proto__', 'constructor', 'toString']);
    expect(JSON.stringify(read?.data)).toBe(JSON.stringify(data));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('round-trips numbers a DynamoDB number could not hold exactly', async () => {
    const data = { huge: 1e300, tiny: 5e-324, big: 2 ** 60, pi: Math.PI, empty: '', deep: [[[{}]]] };
    const session = sessionAt({ data });
    await store.create(session, T0);
    expect((await store.get(session.id, T0))?.data).toEqual(data);
  });
});

/** A change as the core hands it over: with new data or none, sliding or not. */
const change = (over: Partial<SessionChange> = {}): SessionChange => ({ slide: true, absoluteTimeout: 3_600_000, ...over });

describe('update', () => {
  it('writes exactly what applyChange computes', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    const written = change({ data: { theme: 'light' }, expectedVersion: 1 });
    const next = await store.update(session.id, written, T0 + 5);
    expect(next).toEqual(applyChange(session, written, T0 + 5));
    expect(await store.get(session.id, T0 + 5)).toEqual(next);
    // A refresh keeps the data and slides the deadline, never past the absolute one.
    const capped = change({ absoluteTimeout: 60_010 });
    const refreshed = await store.update(session.id, capped, T0 + 30_000);
    expect(refreshed).toMatchObject({ data: { theme: 'light' }, expiresAt: T0 + 60_010, version: 3 });
  });

  it('tells a version conflict from a missing session', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    expect(await store.update(session.id, change({ expectedVersion: 5 }), T0)).toBe('conflict');
    const absent = sessionAt();
    expect(await store.update(absent.id, change({ expectedVersion: 1 }), T0)).toBe('missing');
    expect(await store.update(absent.id, change(), T0)).toBe('missing');
    expect(await store.get(absent.id, T0)).toBeUndefined();
    expect(await store.get(session.id, T0)).toEqual(session);
  });

  it('applies every one of concurrent unconditional updates', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => store.update(session.id, change(), T0 + 1)));
    expect(outcomes.map((o) => (typeof o === 'string' ? o : o.version)).sort()).toEqual([2, 3, 4, 5, 6]);
    expect((await store.get(session.id, T0 + 1))?.version).toBe(6);
  });
});

describe('anonymous sessions and aliases', () => {
  it('keeps a session without userId, in no user listing', async () => {
    const { userId: _dropped, ...anonymous } = sessionAt();
    expect(await store.create(anonymous, T0)).toBe('created');
    expect(await store.get(anonymous.id, T0)).toEqual(anonymous);
    expect(await store.update(anonymous.id, change(), T0 + 1)).toMatchObject({ version: 2 });
    expect((await store.get(anonymous.id, T0 + 1))?.userId).toBeUndefined();
  });

  it('resolves an alias, which get does not follow, list does not show, and delete removes', async () => {
    const session = sessionAt({ userId: `alias-${handleIn()}` });
    const alias = handleIn();
    expect(await store.create(session, T0, { alias: alias })).toBe('created');
    expect(await store.resolve(alias, T0)).toEqual(session);
    expect(await store.resolve(session.id, T0)).toEqual(session);
    expect(await store.get(alias, T0)).toBeUndefined();
    expect(await listAllIds(T0)).not.toContain(alias);
    // The alias and the handle are both taken while the session lives, either way round.
    expect(await store.create(sessionAt(), T0, { alias: alias })).toBe('exists');
    expect(await store.create(sessionAt({ id: alias }), T0)).toBe('exists');
    expect(await store.create(sessionAt(), T0, { alias: session.id })).toBe('exists');
    // The alias follows the session's deadline through updates.
    const moved = await store.update(session.id, change(), T0 + 50_000);
    expect(await store.resolve(alias, T0 + 100_000)).toEqual(moved);
    expect(await store.create(sessionAt({ id: alias }), T0 + 100_000)).toBe('exists');
    expect(await store.delete(alias, T0)).toBe('missing');
    expect(await store.delete(session.id, T0)).toBe('deleted');
    expect(await store.resolve(alias, T0)).toBeUndefined();
    expect(await store.create(sessionAt({ id: alias }), T0)).toBe('created');
  });

  it('frees the alias of an expired session, and takes back an alias whose session was refused', async () => {
    const session = sessionAt({ expiresAt: T0 + 10 });
    const alias = handleIn();
    await store.create(session, T0, { alias: alias });
    const taker = sessionAt();
    expect(await store.create(taker, T0 + 10, { alias: alias })).toBe('created');
    expect(await store.resolve(alias, T0 + 10)).toEqual(taker);
    const refused = handleIn();
    expect(await store.create({ ...sessionAt(), id: taker.id }, T0 + 10, { alias: refused })).toBe('exists');
    expect(await store.resolve(refused, T0 + 10)).toBeUndefined();
    expect(await store.create(sessionAt({ id: refused }), T0 + 10)).toBe('created');
  });

  it('removes aliases with deleteByUser', async () => {
    const userId = `alias-user-${handleIn()}`;
    const alias = handleIn();
    await store.create(sessionAt({ userId }), T0, { alias: alias });
    expect(await store.deleteByUser(userId, T0)).toBe(1);
    expect(await store.resolve(alias, T0)).toBeUndefined();
    expect(await store.create(sessionAt({ id: alias }), T0)).toBe('created');
  });
});

describe('delete', () => {
  it('deletes a live session once', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    expect(await store.delete(session.id, T0)).toBe('deleted');
    expect(await store.delete(session.id, T0)).toBe('missing');
    expect(await store.get(session.id, T0)).toBeUndefined();
  });

  it('removes an expired session but answers false, as the memory store does', async () => {
    const session = sessionAt({ expiresAt: T0 + 1 });
    await store.create(session, T0);
    expect(await store.delete(session.id, T0 + 1)).toBe('missing');
    expect(await store.create(sessionAt({ id: session.id }), T0 + 1)).toBe('created');
  });
});

describe('an expired item DynamoDB has not deleted yet', () => {
  it('is invisible to get, list, listByUser and every write path', async () => {
    const userId = `expired-${sessionAt().id}`;
    const session = sessionAt({ userId, expiresAt: T0 + 1_000 });
    await store.create(session, T0);
    const now = T0 + 1_000;
    expect(await store.get(session.id, now)).toBeUndefined();
    expect((await store.listByUser(userId, { limit: 10 }, now)).sessions).toEqual([]);
    expect(await listAllIds(now)).not.toContain(session.id);
    expect(await store.update(session.id, change({ expectedVersion: 1 }), now)).toBe('missing');
    expect(await store.update(session.id, change(), now)).toBe('missing');
    // The failed writes left it as it was: still there and still expired.
    expect(await store.get(session.id, T0)).toEqual(session);
    expect(await store.deleteByUser(userId, now)).toBe(0);
    expect(await store.get(session.id, T0)).toBeUndefined();
  });
});

describe('item size', () => {
  it('refuses an item over 400 KB before sending any request', async () => {
    const session = sessionAt({ data: { blob: 'x'.repeat(MAX_ITEM_BYTES) } });
    const refused = store.create(session, T0);
    await expect(refused).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(refused).rejects.toMatchObject({ limit: 400 * 1024 });
    expect(requests.counts()).toEqual({});
    const small = sessionAt();
    await store.create(small, T0);
    requests.reset();
    await expect(store.update(small.id, change({ data: session.data }), T0)).rejects.toBeInstanceOf(PayloadTooLargeError);
    // Nothing: the write is refused before it is sent.
    expect(requests.counts()).toEqual({});
  });

  it('draws the line exactly where DynamoDB (as dynalite reproduces it) does', async () => {
    const base = sessionAt({ data: { blob: '' } });
    const room = MAX_ITEM_BYTES - sessionItemSize(toSessionItem(base));
    const atLimit = { ...base, data: { blob: 'x'.repeat(room) } };
    expect(sessionItemSize(toSessionItem(atLimit))).toBe(MAX_ITEM_BYTES);
    expect(await store.create(atLimit, T0)).toBe('created');
    expect((await store.get(atLimit.id, T0))?.data).toEqual(atLimit.data);

    const overLimit = { ...base, id: sessionAt().id, data: { blob: 'x'.repeat(room + 1) } };
    await expect(store.create(overLimit, T0)).rejects.toMatchObject({ size: MAX_ITEM_BYTES + 1 });
    // Sent anyway, the same item is refused by the endpoint itself.
    const direct = client.send(new PutCommand({ TableName: tableName, Item: toSessionItem(overLimit) }));
    await expect(direct).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('requests per operation', () => {
  it('sends the requests docs/dynamodb-layout.md lists for each operation', async () => {
    const session = sessionAt({ userId: `count-${sessionAt().id}` });
    const counted = async (run: () => Promise<unknown>): Promise<Record<string, number>> => {
      requests.reset();
      await run();
      return requests.counts();
    };
    expect(await counted(() => store.create(session, T0))).toEqual({ PutItem: 1 });
    expect(await counted(() => store.get(session.id, T0))).toEqual({ GetItem: 1 });
    expect(await counted(() => store.resolve(session.id, T0))).toEqual({ GetItem: 1 });
    expect(await counted(() => store.update(session.id, change({ expectedVersion: 1 }), T0))).toEqual({ UpdateItem: 1 });
    expect(await counted(() => store.update(session.id, change({ data: { a: 1 } }), T0 + 1))).toEqual({ UpdateItem: 1 });
    expect(await counted(() => store.update(session.id, change({ data: { a: 2 }, slide: false }), T0 + 2))).toEqual({ UpdateItem: 1 });
    // The absolute timeout cuts this slide short: then the read and the conditional write.
    expect(await counted(() => store.update(session.id, change({ absoluteTimeout: session.ttl }), T0 + 3))).toEqual({ UpdateItem: 1, GetItem: 1, PutItem: 1 });
    // And it wrote what the core computes: the deadline is the absolute one.
    expect(await store.get(session.id, T0 + 3)).toMatchObject({ expiresAt: session.createdAt + session.ttl, version: 5 });
    expect(await counted(() => store.listByUser(session.userId ?? '', { limit: 10 }, T0))).toEqual({ Query: 1 });
    expect(await counted(() => store.list({ limit: 10 }, T0))).toEqual({ Scan: 1 });
    expect(await counted(() => store.delete(session.id, T0))).toEqual({ DeleteItem: 1 });
    await store.create(session, T0);
    expect(await counted(() => store.delete(session.id, T0, 1))).toEqual({ DeleteItem: 1 });
    const aliased = sessionAt();
    const alias = handleIn();
    expect(await counted(() => store.create(aliased, T0, { alias: alias }))).toEqual({ GetItem: 1, PutItem: 2 });
    expect(await counted(() => store.resolve(alias, T0))).toEqual({ GetItem: 2 });
    expect(await counted(() => store.update(aliased.id, change({ data: { a: 1 }, slide: false }), T0))).toEqual({ UpdateItem: 1 });
    // The alias item follows the session's deadline: one request more.
    expect(await counted(() => store.update(aliased.id, change(), T0 + 1))).toEqual({ UpdateItem: 2 });
    expect(await counted(() => store.delete(aliased.id, T0))).toEqual({ DeleteItem: 2 });
    expect(await counted(() => store.ping())).toEqual({ DescribeTable: 1 });
  });
});

async function listAllIds(now: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 50, cursor }, now);
    ids.push(...page.sessions.map((s) => s.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return ids;
}
