import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../core/index.js';
import {
  DynamoSessionStore,
  MAX_ITEM_BYTES,
  sessionItemSize,
  toSessionItem,
} from '../../adapters/dynamodb/index.js';
import { countRequests, type RequestCounter } from '../support/dynalite-server.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { sessionAt, T0 } from '../support/session-fixtures.js';

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

  it('says an id is taken by an expired session DynamoDB has not deleted yet', async () => {
    const expired = sessionAt({ expiresAt: T0 - 1 });
    expect(await store.create(expired, T0 - 10)).toBe('created');
    expect(await store.create(sessionAt({ id: expired.id }), T0)).toBe('exists');
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

describe('replace and refresh', () => {
  it('replaces a live session at the expected version', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    const next = { ...session, data: { theme: 'light' }, updatedAt: T0 + 5, version: 2 };
    expect(await store.replace(next, 1, T0 + 5)).toBe('written');
    expect(await store.get(session.id, T0 + 5)).toEqual(next);
  });

  it('tells a version conflict from a missing session', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    const next = { ...session, version: 2 };
    expect(await store.replace({ ...next, version: 6 }, 5, T0)).toBe('conflict');
    expect(await store.refresh(session.id, { expectedVersion: 5, expiresAt: T0 + 1, updatedAt: T0 }, T0)).toBe(
      'conflict',
    );
    const absent = sessionAt();
    expect(await store.replace({ ...absent, version: 2 }, 1, T0)).toBe('missing');
    expect(await store.refresh(absent.id, { expectedVersion: 1, expiresAt: T0 + 1, updatedAt: T0 }, T0)).toBe(
      'missing',
    );
    expect(await store.get(absent.id, T0)).toBeUndefined();
    expect(await store.get(session.id, T0)).toEqual(session);
  });

  it('refreshes the deadline and bumps the version', async () => {
    const session = sessionAt();
    await store.create(session, T0);
    const change = { expectedVersion: 1, expiresAt: T0 + 120_000, updatedAt: T0 + 10 };
    expect(await store.refresh(session.id, change, T0 + 10)).toBe('written');
    const read = await store.get(session.id, T0 + 70_000);
    expect(read).toEqual({ ...session, expiresAt: T0 + 120_000, updatedAt: T0 + 10, version: 2 });
    expect(await store.refresh(session.id, change, T0 + 10)).toBe('conflict');
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
    expect(await store.replace({ ...session, version: 2 }, 1, now)).toBe('missing');
    expect(await store.refresh(session.id, { expectedVersion: 1, expiresAt: now + 5_000, updatedAt: now }, now)).toBe(
      'missing',
    );
    // The failed writes left it as it was: still there (for create) and still expired.
    expect(await store.get(session.id, T0)).toEqual(session);
    expect(await store.create(session, now)).toBe('exists');
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
    await expect(store.replace({ ...session, version: 2 }, 1, T0)).rejects.toBeInstanceOf(PayloadTooLargeError);
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
  it('sends exactly one request for each single-session operation and one Query per user page', async () => {
    const session = sessionAt({ userId: `count-${sessionAt().id}` });
    const counted = async (run: () => Promise<unknown>): Promise<Record<string, number>> => {
      requests.reset();
      await run();
      return requests.counts();
    };
    expect(await counted(() => store.create(session, T0))).toEqual({ PutItem: 1 });
    expect(await counted(() => store.get(session.id, T0))).toEqual({ GetItem: 1 });
    expect(await counted(() => store.replace({ ...session, version: 2 }, 1, T0))).toEqual({ PutItem: 1 });
    expect(
      await counted(() => store.refresh(session.id, { expectedVersion: 2, expiresAt: T0 + 9_000, updatedAt: T0 }, T0)),
    ).toEqual({ UpdateItem: 1 });
    expect(await counted(() => store.listByUser(session.userId, { limit: 10 }, T0))).toEqual({ Query: 1 });
    expect(await counted(() => store.list({ limit: 10 }, T0))).toEqual({ Scan: 1 });
    expect(await counted(() => store.delete(session.id, T0))).toEqual({ DeleteItem: 1 });
    await store.create(session, T0);
    expect(await counted(() => store.delete(session.id, T0, 1))).toEqual({ DeleteItem: 1 });
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
