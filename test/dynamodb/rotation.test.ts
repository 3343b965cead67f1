import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toAliasItem, toSessionItem } from '../../adapters/dynamodb/session-item.js';
import { rotatedSession } from '../../core/index.js';
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
});
