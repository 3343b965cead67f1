import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionTable, DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { LEASE_MS, userLease } from '../../adapters/dynamodb/user-lease.js';
import { evictedBy, webCryptoSha256, type CreateOutcome, type Session, type SessionLimitPolicy } from '../../core/index.js';
import { loadConfig } from '../../server/index.js';
import { countRequests, createTestClient, startDynalite, uniqueTableName, type DynaliteServer, type RequestCounter } from '../support/dynalite-server.js';
import { homeOfUser, makeSession, T0 } from '../support/session-fixtures.js';

// Issue 14 item 1 on DynamoDB: the cap under a per-user lease item (docs/dynamodb-layout.md,
// "Session cap"), through several clients and stores on one dynalite, as several service
// processes would share one table.
const CLIENTS = 3;
/** Two stores on each client: a store queues its own capped writes, so stores are the contenders. */
const STORES = 6;

let dynalite: DynaliteServer;
let clients: DynamoDBDocumentClient[];
let requests: RequestCounter;
/** Armed by a test: holds client 0's PutItem of a session (not of a lease) until it resolves. */
let holdSessionPut: { reached: () => void; until: Promise<void> } | undefined;
/** Every lease PutItem client 0 sent since the last reset. */
let leasePuts: Record<string, unknown>[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
  clients = Array.from({ length: CLIENTS }, () => createTestClient(dynalite.endpoint));
  requests = countRequests(clients[0]!);
  clients[0]!.middlewareStack.add(
    (next, context) => async (args) => {
      const item = (args.input as { Item?: Record<string, unknown> }).Item;
      // Named PutItemCommand here, its Item marshalled or not depending on the middleware order.
      if (/^Put(Item)?Command$/.test(String(context.commandName)) && item !== undefined) {
        if ('leaseOwner' in item) leasePuts.push(item);
        const hold = holdSessionPut;
        if (hold !== undefined && 'data' in item) {
          holdSessionPut = undefined;
          hold.reached();
          await hold.until;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'holdSessionPut' },
  );
});
afterAll(async () => {
  for (const client of clients ?? []) closeDynamoDocumentClient(client);
  await dynalite?.close();
});

let tableName: string;
/** `STORES` stores over the clients, all on the same table; store i on client i % CLIENTS. */
let stores: DynamoSessionStore[];
beforeEach(async () => {
  tableName = uniqueTableName();
  await createSessionTable(clients[0]!, tableName);
  stores = Array.from({ length: STORES }, (_, i) => new DynamoSessionStore(clients[i % CLIENTS]!, tableName));
  requests.reset();
  leasePuts = [];
  holdSessionPut = undefined;
  return () => clients[0]!.send(new DeleteTableCommand({ TableName: tableName })).then(() => undefined);
});

const read = async (id: string) =>
  (await clients[0]!.send(new GetCommand({ TableName: tableName, Key: { home: id.slice(0, 4), id }, ConsistentRead: true }))).Item;
const leaseOf = (userId: string) => userLease(homeOfUser(userId), userId, webCryptoSha256);

describe.each<SessionLimitPolicy>(['evict-oldest', 'evict-idlest', 'reject'])('30 creates in flight for one user, cap 5, %s', (policy) => {
  it(`through ${STORES} stores on ${CLIENTS} clients: exactly 5 left, each create made or refused, the evicted gone everywhere`, async () => {
    const userId = `racer-${policy}`;
    const limit = { max: 5, policy };
    // Distinct creation and activity times, so eviction has one order to follow.
    const sessions = Array.from({ length: 30 }, (_, i) => makeSession(T0 + i, { userId, ttl: 60_000, lastActiveAt: T0 + ((i * 7) % 30) }));
    const started = performance.now();
    const outcomes: CreateOutcome[] = await Promise.all(sessions.map((session, i) => stores[i % STORES]!.create(session, session.createdAt, { limit })));
    const elapsed = performance.now() - started;
    const made = sessions.filter((_, i) => evictedBy(outcomes[i]!) !== undefined);
    const refused = outcomes.filter((outcome) => outcome === 'refused').length;
    expect(made.length + refused).toBe(30);
    const evicted = outcomes.flatMap((outcome) => evictedBy(outcome) ?? []);
    expect(new Set(evicted).size).toBe(evicted.length);
    const survivors = made.map((session) => session.id).filter((id) => !evicted.includes(id));
    expect(survivors).toHaveLength(5);
    if (policy === 'reject') {
      expect(refused).toBe(25);
      expect(evicted).toEqual([]);
    } else {
      expect(refused).toBe(0);
      expect(evicted).toHaveLength(25);
    }
    const at = T0 + 40;
    for (const id of evicted) expect(await stores[1]!.get(id, at)).toBeUndefined();
    expect(await stores[2]!.countByUser(userId, at)).toBe(5);
    const listed = (await stores[0]!.listByUser(userId, { limit: 100 }, at)).sessions.map((session) => session.id);
    expect(listed.sort()).toEqual([...survivors].sort());
    // No lease is left behind.
    expect(await read((await leaseOf(userId)).id)).toBeUndefined();
    console.info(`[race] ${policy}: 30 creates in flight, ${STORES} stores on ${CLIENTS} clients, cap 5: ${listed.length} left, ${evicted.length} evicted, ${refused} refused, ${Math.round(elapsed)} ms`);
  }, 120_000);
});

describe('the capped create', () => {
  const limit = { max: 2, policy: 'evict-oldest' as const };

  it('costs 4 requests (lease, Query, PutItem, lease back) and 1 DeleteItem per eviction; the lease carries TTL', async () => {
    const [first, second, third] = [0, 1, 2].map((i) => makeSession(T0 + i, { userId: 'counted', ttl: 60_000 }));
    expect(await stores[0]!.create(first!, T0, { limit })).toBe('created');
    expect(requests.counts()).toEqual({ PutItem: 2, Query: 1, DeleteItem: 1 });
    await stores[0]!.create(second!, T0 + 1, { limit });
    requests.reset();
    expect(await stores[0]!.create(third!, T0 + 2, { limit })).toEqual({ evicted: [first!.id] });
    expect(requests.counts()).toEqual({ PutItem: 2, Query: 1, DeleteItem: 2 });
    const lease = leasePuts[0]!;
    const plain = (value: unknown) => (typeof value === 'object' && value !== null ? Object.values(value)[0] : value);
    expect(Number(plain(lease['expiresAtSeconds']))).toBe(Math.ceil((T0 + LEASE_MS) / 1000));
    expect(plain(lease['id'])).toBe((await leaseOf('counted')).id);
    // Without a user, a limit changes nothing: one PutItem.
    requests.reset();
    expect(await stores[0]!.create(makeSession(T0, { userId: undefined }), T0, { limit: { max: 1, policy: 'reject' } })).toBe('created');
    expect(requests.counts()).toEqual({ PutItem: 1 });
  });

  it('is not blocked by the expired lease of a create that crashed', async () => {
    const lease = await leaseOf('crashed');
    await clients[0]!.send(
      new PutCommand({ TableName: tableName, Item: { ...lease, leaseOwner: 'gone', leaseUntilMs: T0, expiresAtSeconds: Math.ceil(T0 / 1000) } }),
    );
    const session = makeSession(T0, { userId: 'crashed' });
    expect(await stores[1]!.create(session, T0, { limit })).toBe('created');
    expect(await read(lease.id)).toBeUndefined();
  });

  it('answers exists for a taken handle before refusing, and a refused create writes nothing', async () => {
    const reject = { max: 1, policy: 'reject' as const };
    const held = makeSession(T0, { userId: 'full' });
    expect(await stores[0]!.create(held, T0, { limit: reject })).toBe('created');
    expect(await stores[0]!.create({ ...held, data: { again: true } }, T0, { limit: reject })).toBe('exists');
    const refused = makeSession(T0, { userId: 'full' });
    const alias = makeSession(T0, { userId: undefined }).id;
    expect(await stores[1]!.create(refused, T0, { limit: reject, alias })).toBe('refused');
    expect(await read(refused.id)).toBeUndefined();
    expect(await read(alias)).toBeUndefined();
    expect(await stores[1]!.countByUser('full', T0)).toBe(1);
  });

  it('the service starts on DynamoDB with SESSION_MAX_PER_USER set', () => {
    const env = { SESSION_STORE: 'dynamodb', DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'us-west-2', SESSION_MAX_PER_USER: '5' };
    expect(loadConfig(env).sessionLimit).toEqual({ max: 5, policy: 'evict-oldest' });
  });
});

describe('a lease item', () => {
  it('is in no listing, count, get, resolve, delete or deleteByUser, and a page that stops on it resumes', async () => {
    const session = makeSession(T0, { userId: 'leased', ttl: 60_000 });
    await stores[0]!.create(session, T0);
    const lease = await leaseOf('leased');
    // A lease held while these run, as by a create in flight.
    await clients[0]!.send(
      new PutCommand({ TableName: tableName, Item: { ...lease, leaseOwner: 'other', leaseUntilMs: T0 + LEASE_MS, expiresAtSeconds: 1 } }),
    );
    const store = stores[0]!;
    expect(await store.countByUser('leased', T0)).toBe(1);
    // One session and the lease in the table: a page of 1 reads both (Limit 2) and stops on the lease.
    const first = await store.list({ limit: 1 }, T0);
    expect(first.sessions.map((s) => s.id)).toEqual([session.id]);
    // Its cursor resumes after the lease item's id, and the next page is empty and last.
    expect(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString())).toEqual([lease.id]);
    expect(await store.list({ limit: 1, cursor: first.nextCursor! }, T0)).toEqual({ sessions: [], nextCursor: null });
    const mine = await store.listByUser('leased', { limit: 1 }, T0);
    expect(mine.sessions.map((s) => s.id)).toEqual([session.id]);
    expect(mine.nextCursor).toBeNull();
    expect(await store.get(lease.id, T0)).toBeUndefined();
    expect(await store.resolve(lease.id, T0)).toBeUndefined();
    expect(await store.delete(lease.id, T0)).toBe('missing');
    expect(await store.deleteByUser('leased', T0)).toBe(1);
    expect(await read(lease.id)).toMatchObject({ leaseOwner: 'other' });
  });
});

describe('a create paused past its lease', () => {
  /** Starts a capped create on client 0 whose session PutItem waits until `resume` is called. */
  async function pausedCreate(session: Session, policy: SessionLimitPolicy) {
    let reached!: () => void;
    let resume!: () => void;
    const atPut = new Promise<void>((resolve) => (reached = resolve));
    holdSessionPut = { reached, until: new Promise<void>((resolve) => (resume = resolve)) };
    const outcome = stores[0]!.create(session, session.createdAt, { limit: { max: 2, policy } });
    await atPut;
    return { outcome, resume };
  }

  it.each<SessionLimitPolicy>(['evict-oldest', 'reject'])('is repaired when it finds its lease taken (%s): the user ends at the cap', async (policy) => {
    const userId = `paused-${policy}`;
    const limit = { max: 2, policy };
    const early = makeSession(T0, { userId, ttl: 60_000 });
    expect(await stores[1]!.create(early, T0, { limit })).toBe('created');
    const late = makeSession(T0 + 1, { userId, ttl: 60_000 });
    const paused = await pausedCreate(late, policy);
    // Another process, a lease later: the paused create's lease has expired, its Query missed `late`.
    const other = makeSession(T0 + 1 + LEASE_MS, { userId, ttl: 60_000 });
    expect(await stores[1]!.create(other, other.createdAt, { limit })).toBe('created');
    paused.resume();
    const outcome = await paused.outcome;
    const at = T0 + 2 + LEASE_MS;
    expect(await stores[2]!.countByUser(userId, at)).toBe(2);
    if (policy === 'reject') {
      expect(outcome).toBe('refused');
      expect(await stores[2]!.get(late.id, at)).toBeUndefined();
    } else {
      expect(outcome).toEqual({ evicted: [early.id] });
      expect(await stores[2]!.get(early.id, at)).toBeUndefined();
    }
    expect(await read((await leaseOf(userId)).id)).toBeUndefined();
  });
});
