import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toAliasItem, toSessionItem } from '../../adapters/dynamodb/session-item.js';
import { DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { userLease } from '../../adapters/dynamodb/user-lease.js';
import { evictedBy, rotatedSession, webCryptoSha256, type SessionLimitPolicy } from '../../core/index.js';
import { createTestClient } from '../support/dynalite-server.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { handleIn, homeOfUser, makeSession } from '../support/session-fixtures.js';

const T = 1_000_123;
const change = { slide: true, absoluteTimeout: 1_000_000 };

// Two items, no transaction: a rotation is three requests (see DynamoSessionStore.rotate). The
// states a crash between them would leave are written by hand here, and read.
describe('rotation on DynamoDB', () => {
  let dynamo: DynamoTestStore;
  beforeAll(async () => {
    dynamo = await openDynamoTestStore();
  });
  afterAll(() => dynamo?.close());

  const put = (item: Record<string, unknown>) => dynamo.client.send(new PutCommand({ TableName: dynamo.tableName, Item: item }));
  const read = async (id: string) =>
    (await dynamo.client.send(new GetCommand({ TableName: dynamo.tableName, Key: { home: id.slice(0, 4), id }, ConsistentRead: true }))).Item;

  async function login(userId: string) {
    const old = makeSession(T, { userId: undefined, ttl: 5000, data: { cart: [1] } });
    expect(await dynamo.store.create(old, T)).toBe('created');
    return { old, next: rotatedSession(old, handleIn(homeOfUser(userId)), userId, change, T + 1) };
  }

  test('a login answers the new session; the old handle resolves to it within the grace only', async () => {
    const { old, next } = await login('dora');
    expect(await dynamo.store.rotate(old.id, next, T + 1, { graceUntil: T + 11 })).toEqual({ session: next, evicted: [] });
    expect(await dynamo.store.get(old.id, T + 1)).toBeUndefined();
    expect(await dynamo.store.resolve(old.id, T + 10)).toEqual(next);
    expect(await dynamo.store.resolve(old.id, T + 11)).toBeUndefined();
    expect(await read(next.id)).not.toHaveProperty('pendingFrom');
    expect(await dynamo.store.rotate(old.id, { ...next, id: handleIn(homeOfUser('dora')) }, T + 2, { graceUntil: T + 2 })).toBe('missing');
  });

  test('a crash after the pending put leaves nothing anyone reads; after the forwarder, a session that reads live and is finished', async () => {
    const { old, next } = await login('emil');
    await put({ ...toSessionItem(next), pendingFrom: old.id });
    expect(await dynamo.store.get(next.id, T + 1)).toBeUndefined();
    expect(await dynamo.store.update(next.id, { slide: true, absoluteTimeout: change.absoluteTimeout }, T + 1)).toBe('missing');
    expect(await dynamo.store.countByUser('emil', T + 1)).toBe(0);
    expect((await dynamo.store.get(old.id, T + 1))?.version).toBe(1);
    await put({ ...toAliasItem(old.id, next.id, next.expiresAt), graceUntilMs: T + 1 });
    expect(await dynamo.store.get(old.id, T + 1)).toBeUndefined();
    expect(await dynamo.store.get(next.id, T + 1)).toEqual(next);
    expect(await read(next.id)).not.toHaveProperty('pendingFrom');
    expect(await read(old.id)).toBeUndefined();
    expect(await dynamo.store.countByUser('emil', T + 1)).toBe(1);
  });

  describe('into a capped user\'s place (the three steps under the user\'s lease)', () => {
    const capOf = (policy: SessionLimitPolicy) => ({ max: 2, policy });
    async function fullUser(userId: string, policy: SessionLimitPolicy) {
      const held = [0, 1].map((i) => makeSession(T + i, { userId, ttl: 60_000 }));
      for (const session of held) expect(await dynamo.store.create(session, session.createdAt, { limit: capOf(policy) })).toBe('created');
      return held;
    }
    const leaseLeft = async (userId: string) => read((await userLease(homeOfUser(userId), userId, webCryptoSha256)).id);

    test('a login into a full user evicts the oldest, names it, and the old handle still forwards within the grace', async () => {
      const [first, second] = await fullUser('fay', 'evict-oldest');
      const { old, next } = await login('fay');
      const rotated = await dynamo.store.rotate(old.id, next, T + 1, { graceUntil: T + 11, limit: capOf('evict-oldest') });
      expect(rotated).toEqual({ session: next, evicted: [first!.id] });
      expect(await dynamo.store.get(first!.id, T + 2)).toBeUndefined();
      expect(await dynamo.store.resolve(old.id, T + 2)).toEqual(next);
      expect((await dynamo.store.listByUser('fay', { limit: 10 }, T + 2)).sessions.map((s) => s.id).sort()).toEqual([second!.id, next.id].sort());
      expect(await leaseLeft('fay')).toBeUndefined();
    });

    test('under reject, a login into a full user is refused and writes nothing: the old session stays as it was', async () => {
      await fullUser('gus', 'reject');
      const { old, next } = await login('gus');
      expect(await dynamo.store.rotate(old.id, next, T + 1, { graceUntil: T + 11, limit: capOf('reject') })).toBe('refused');
      expect(await read(next.id)).toBeUndefined();
      expect(await dynamo.store.get(old.id, T + 1)).toEqual(old);
      expect(await dynamo.store.countByUser('gus', T + 1)).toBe(2);
      expect(await leaseLeft('gus')).toBeUndefined();
      // A taken new handle answers exists before the cap is looked at, as a create does.
      const [taken] = await dynamo.store.listByUser('gus', { limit: 1 }, T + 1).then((page) => page.sessions);
      expect(await dynamo.store.rotate(old.id, { ...next, id: taken!.id }, T + 1, { graceUntil: T + 1, limit: capOf('reject') })).toBe('exists');
    });

    test("a user's own rotation at the cap replaces its session and evicts nothing, under every policy", async () => {
      for (const policy of ['evict-oldest', 'evict-idlest', 'reject'] as const) {
        const userId = `own-${policy}`;
        const [, second] = await fullUser(userId, policy);
        const next = rotatedSession(second!, handleIn(homeOfUser(userId)), userId, change, T + 3);
        expect(await dynamo.store.rotate(second!.id, next, T + 3, { graceUntil: T + 3, limit: capOf(policy) })).toEqual({ session: next, evicted: [] });
        expect(await dynamo.store.countByUser(userId, T + 3)).toBe(2);
      }
    });

    test.each<SessionLimitPolicy>(['evict-oldest', 'reject'])('logins racing capped creates through 3 clients (%s): the user ends at the cap, each one made, evicting or refused', async (policy) => {
      const clients = [0, 1].map(() => createTestClient(dynamo.endpoint));
      const stores = [dynamo.store, ...clients.map((client) => new DynamoSessionStore(client, dynamo.tableName))];
      try {
        const userId = `race-${policy}`;
        const limit = { max: 3, policy };
        const logins = await Promise.all([0, 1, 2, 3].map(() => login(userId)));
        const creates = Array.from({ length: 8 }, (_, i) => makeSession(T + 1 + i, { userId, ttl: 60_000 }));
        const [rotated, created] = await Promise.all([
          Promise.all(logins.map(({ old, next }, i) => stores[i % 3]!.rotate(old.id, next, T + 1, { graceUntil: T + 1, limit }))),
          Promise.all(creates.map((session, i) => stores[(i + 1) % 3]!.create(session, session.createdAt, { limit }))),
        ]);
        const made = [
          ...logins.filter((_, i) => typeof rotated[i] === 'object').map(({ next }) => next.id),
          ...creates.filter((_, i) => evictedBy(created[i]!) !== undefined).map((session) => session.id),
        ];
        const evicted = [...rotated.flatMap((outcome) => (typeof outcome === 'object' ? outcome.evicted : [])), ...created.flatMap((outcome) => evictedBy(outcome) ?? [])];
        expect([...rotated, ...created].every((outcome) => typeof outcome === 'object' || outcome === 'created' || outcome === 'refused')).toBe(true);
        expect(new Set(evicted).size).toBe(evicted.length);
        const survivors = made.filter((id) => !evicted.includes(id)).sort();
        expect(survivors).toHaveLength(3);
        const listed = (await dynamo.store.listByUser(userId, { limit: 50 }, T + 20)).sessions.map((s) => s.id).sort();
        expect(listed).toEqual(survivors);
        expect(await dynamo.store.countByUser(userId, T + 20)).toBe(3);
        // A refused login left its anonymous session as it was.
        for (const [i, { old }] of logins.entries()) if (rotated[i] === 'refused') expect(await dynamo.store.get(old.id, T + 1)).toEqual(old);
      } finally {
        for (const client of clients) closeDynamoDocumentClient(client);
      }
    }, 60_000);
  });
});
