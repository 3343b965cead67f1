import { DeleteTableCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSessionTable, DynamoSessionStore, type DynamoEventLogOptions } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { partitionOf } from '../../adapters/dynamodb/event-items.js';
import { toSessionItem } from '../../adapters/dynamodb/session-item.js';
import {
  encodeEventCursor,
  encodePageCursor,
  InvalidInputError,
  rotatedSession,
  StoreUnavailableError,
  type SessionChange,
  type SessionEvent,
  type SessionEventLog,
} from '../../core/index.js';
import { countRequests, createTestClient, startDynalite, uniqueTableName, type DynaliteServer, type RequestCounter } from '../support/dynalite-server.js';
import { handleIn, homeOfUser, makeSession, T0 } from '../support/session-fixtures.js';

// The DynamoDB store's event log on dynalite (no Streams, no transactions, no TTL deletion): each
// change, then its event in one of the log's partitions (see docs/dynamodb-layout.md, "Events").

let dynalite: DynaliteServer;
let client: DynamoDBDocumentClient;
let tableName: string;
let store: DynamoSessionStore;
let log: SessionEventLog;

const PARTITIONS = 4;
const options: DynamoEventLogOptions = { partitions: PARTITIONS, retentionMs: 3_600_000, gapWaitMs: 5_000 };

let requests: RequestCounter;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = createTestClient(dynalite.endpoint);
  requests = countRequests(client);
});
afterAll(async () => {
  closeDynamoDocumentClient(client);
  await dynalite?.close();
});

beforeEach(async () => {
  tableName = uniqueTableName();
  await createSessionTable(client, tableName);
  store = new DynamoSessionStore(client, tableName, { events: options });
  log = store.events!;
  return () => client.send(new DeleteTableCommand({ TableName: tableName })).then(() => undefined);
});

const change = (over: Partial<SessionChange> = {}): SessionChange => ({ slide: true, absoluteTimeout: 3_600_000, ...over });

/** Every event after `after`, page by page (`limit` a page), at `now`; and the cursor at the end. */
async function readAll(now: number, after?: string, limit = 100): Promise<{ events: SessionEvent[]; cursor: string }> {
  const events: SessionEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await log.read(cursor, limit, now);
    expect(page.events.length).toBeLessThanOrEqual(limit);
    events.push(...page.events);
    cursor = page.cursor;
    if (page.events.length === 0) return { events, cursor };
  }
}

/** A cursor of this test's log, at `n` in every partition. */
const cursorOf = (n: number) => encodeEventCursor(Array.from({ length: PARTITIONS }, () => String(n)));

/** The events without their ids (which only need to be unique), in the order read. */
const withoutIds = (events: readonly SessionEvent[]) => events.map(({ id: _id, ...rest }) => rest);

/** Per session, the types (and reasons) of its events in the order read. */
function perSession(events: readonly SessionEvent[]): Map<string, string[]> {
  const bySession = new Map<string, string[]>();
  for (const event of events) {
    const kinds = bySession.get(event.sessionId) ?? [];
    kinds.push(event.reason === undefined ? event.type : `${event.type}:${event.reason}`);
    bySession.set(event.sessionId, kinds);
  }
  return bySession;
}

describe('which change records which event', () => {
  it('create, replace, patch, a refresh that moves the deadline, delete; nothing for a refresh that moves nothing', async () => {
    const session = makeSession(T0, { userId: 'ada', ttl: 60_000, data: { secret: 'not in events' } });
    expect(await store.create(session, T0)).toBe('created');
    expect(await store.update(session.id, change({ data: { a: 1 } }), T0 + 1)).toMatchObject({ version: 2 });
    expect(await store.update(session.id, change({ data: { a: 2 }, cause: 'patch', expectedVersion: 2 }), T0 + 2)).toMatchObject({ version: 3 });
    // A refresh in place (one UpdateItem) that slides the deadline.
    expect(await store.update(session.id, change(), T0 + 10)).toMatchObject({ version: 4, expiresAt: T0 + 10 + 60_000 });
    // Not sliding: the deadline stays, so the write records nothing (its version still moves).
    expect(await store.update(session.id, change({ slide: false }), T0 + 11)).toMatchObject({ version: 5, expiresAt: T0 + 10 + 60_000 });
    // A refresh whose slide lands on the deadline it has: no event either (the read-and-put path).
    expect(await store.update(session.id, change({ absoluteTimeout: 10 + 60_000 }), T0 + 12)).toMatchObject({ version: 6, expiresAt: T0 + 10 + 60_000 });
    // A throttled refresh writes nothing at all.
    expect(await store.update(session.id, change({ touchInterval: 5_000 }), T0 + 13)).toMatchObject({ version: 6 });
    // A refresh through the read-and-put path that moves the deadline (the absolute timeout cuts it).
    expect(await store.update(session.id, change({ absoluteTimeout: 70_000 }), T0 + 20_000)).toMatchObject({ version: 7, expiresAt: T0 + 70_000 });
    expect(await store.delete(session.id, T0 + 20_001)).toBe('deleted');

    const { events } = await readAll(T0 + 20_001);
    const who = { sessionId: session.id, userId: 'ada' };
    expect(withoutIds(events)).toEqual([
      { type: 'session.created', time: T0, ...who, version: 1 },
      { type: 'session.updated', time: T0 + 1, ...who, version: 2, reason: 'replace' },
      { type: 'session.updated', time: T0 + 2, ...who, version: 3, reason: 'patch' },
      { type: 'session.refreshed', time: T0 + 10, ...who, version: 4 },
      { type: 'session.refreshed', time: T0 + 20_000, ...who, version: 7 },
      { type: 'session.deleted', time: T0 + 20_001, ...who, version: 7, reason: 'logout' },
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    // Never the data, never anything of the token.
    expect(JSON.stringify(events)).not.toContain('not in events');
    for (const event of events) expect(Object.keys(event).sort()).not.toContain('data');
  });

  it('a refresh at the instant of the last slide moves nothing and records nothing, though it writes', async () => {
    const session = makeSession(T0, { ttl: 60_000 });
    await store.create(session, T0);
    expect(await store.update(session.id, change(), T0)).toMatchObject({ version: 2, expiresAt: session.expiresAt });
    expect(await store.update(session.id, change(), T0 + 1)).toMatchObject({ version: 3, expiresAt: session.expiresAt + 1 });
    expect((await readAll(T0 + 1)).events.map((event) => [event.type, event.version])).toEqual([
      ['session.created', 1],
      ['session.refreshed', 3],
    ]);
  });

  it('an anonymous session\'s events carry no userId', async () => {
    const session = makeSession(T0, { userId: undefined, ttl: 60_000 });
    await store.create(session, T0);
    expect(withoutIds((await readAll(T0)).events)).toEqual([{ type: 'session.created', time: T0, sessionId: session.id, version: 1 }]);
  });

  it('a refused, conflicting or missing write records nothing', async () => {
    const session = makeSession(T0, { ttl: 60_000 });
    await store.create(session, T0);
    const { cursor } = await readAll(T0);
    expect(await store.create({ ...session, data: { again: true } }, T0)).toBe('exists');
    expect(await store.update(session.id, change({ data: {}, expectedVersion: 7 }), T0)).toBe('conflict');
    expect(await store.update(handleIn(), change({ data: {} }), T0)).toBe('missing');
    expect(await store.delete(session.id, T0, 7)).toBe('conflict');
    expect(await store.delete(handleIn(), T0)).toBe('missing');
    expect(await store.rotate(session.id, { ...session, id: handleIn(homeOfUser('alice')), version: 5 }, T0, { graceUntil: T0 })).toBe('conflict');
    expect(await store.create(makeSession(T0, { ttl: 60_000 }), T0, { limit: { max: 1, policy: 'reject' } })).toBe('refused');
    expect((await readAll(T0, cursor)).events).toEqual([]);
  });

  it('a rotation records session.rotated and the old handle\'s session.deleted (rotated, with its grace)', async () => {
    const old = makeSession(T0, { userId: undefined, ttl: 60_000 });
    await store.create(old, T0);
    const next = rotatedSession(old, handleIn(homeOfUser('bea')), 'bea', change(), T0 + 5);
    expect(await store.rotate(old.id, next, T0 + 5, { graceUntil: T0 + 65 })).toEqual({ session: next, evicted: [] });
    const events = withoutIds((await readAll(T0 + 5)).events);
    expect(events).toHaveLength(3);
    expect(events).toContainEqual({ type: 'session.rotated', time: T0 + 5, sessionId: next.id, userId: 'bea', version: 2, previousId: old.id });
    expect(events).toContainEqual({ type: 'session.deleted', time: T0 + 5, sessionId: old.id, version: 1, reason: 'rotated', graceUntil: T0 + 65 });
    expect(events.findIndex((event) => event.type === 'session.created')).toBeLessThan(events.findIndex((event) => event.sessionId === old.id && event.type === 'session.deleted'));
  });

  it('log out everywhere, log out others, and the cap\'s evictions, each with its reason', async () => {
    const [a, b, c] = [0, 1, 2].map((i) => makeSession(T0 + i, { userId: 'cleo', ttl: 60_000 }));
    for (const session of [a!, b!, c!]) await store.create(session, session.createdAt);
    const d = makeSession(T0 + 3, { userId: 'cleo', ttl: 60_000 });
    expect(await store.create(d, T0 + 3, { limit: { max: 3, policy: 'evict-oldest' } })).toEqual({ evicted: [a!.id] });
    expect(await store.deleteByUser('cleo', T0 + 4, c!.id)).toBe(2);
    expect(await store.deleteByUser('cleo', T0 + 5)).toBe(1);
    const kinds = perSession((await readAll(T0 + 5)).events);
    expect(kinds.get(a!.id)).toEqual(['session.created', 'session.deleted:evicted']);
    expect(kinds.get(b!.id)).toEqual(['session.created', 'session.deleted:logout-others']);
    expect(kinds.get(d.id)).toEqual(['session.created', 'session.deleted:logout-others']);
    expect(kinds.get(c!.id)).toEqual(['session.created', 'session.deleted:logout-everywhere']);
  });
});

describe('expiry, exactly once', () => {
  it('a sweep claims each expired session once: session.expired at its deadline, recorded at the sweep', async () => {
    const early = makeSession(T0, { ttl: 1_000 });
    const late = makeSession(T0, { ttl: 5_000 });
    await store.create(early, T0);
    await store.create(late, T0);
    expect(await log.sweepExpired(T0 + 999, 100)).toBe(0);
    expect(await log.sweepExpired(T0 + 1_000, 100)).toBe(1);
    expect(await log.sweepExpired(T0 + 1_000, 100)).toBe(0);
    expect(await store.get(late.id, T0 + 1_000)).toBeDefined();
    expect(await log.sweepExpired(T0 + 9_000, 100)).toBe(1);
    const expired = (await readAll(T0 + 9_000)).events.filter((event) => event.type === 'session.expired');
    expect(withoutIds(expired)).toEqual([
      { type: 'session.expired', time: T0 + 1_000, recordedAt: T0 + 1_000, sessionId: early.id, userId: 'alice', version: 1 },
      { type: 'session.expired', time: T0 + 5_000, recordedAt: T0 + 9_000, sessionId: late.id, userId: 'alice', version: 1 },
    ]);
  });

  it('a create over an expired handle, a delete of an expired session and log out everywhere reclaim it with its one session.expired', async () => {
    const [reused, deleted, loggedOut] = [0, 1, 2].map(() => makeSession(T0, { userId: 'dan', ttl: 1_000 }));
    for (const session of [reused!, deleted!, loggedOut!]) await store.create(session, T0);
    const at = T0 + 2_000;
    expect(await store.create({ ...reused!, createdAt: at, updatedAt: at, lastActiveAt: at, expiresAt: at + 1_000 }, at)).toBe('created');
    expect(await store.delete(deleted!.id, at)).toBe('missing');
    expect(await store.deleteByUser('dan', at, reused!.id)).toBe(0);
    // Nothing is left for a sweep: each expired session was claimed by the write that removed it.
    expect(await log.sweepExpired(at, 100)).toBe(0);
    const kinds = perSession((await readAll(at)).events);
    expect(kinds.get(reused!.id)).toEqual(['session.created', 'session.expired', 'session.created']);
    expect(kinds.get(deleted!.id)).toEqual(['session.created', 'session.expired']);
    expect(kinds.get(loggedOut!.id)).toEqual(['session.created', 'session.expired']);
  });

  it('three stores sweeping at once with small budgets, and deletes racing them: one session.expired per session', async () => {
    const clients = [0, 1, 2].map(() => createTestClient(dynalite.endpoint));
    try {
      const sweepers = clients.map((other) => new DynamoSessionStore(other, tableName, { events: options }));
      const sessions = Array.from({ length: 60 }, (_, i) => makeSession(T0, { userId: i % 2 === 0 ? `user-${i % 5}` : undefined, ttl: 1_000 + (i % 7) }));
      await Promise.all(sessions.map((session) => store.create(session, T0)));
      const at = T0 + 2_000;
      const sweep = async (sweeper: DynamoSessionStore): Promise<number> => {
        let claimed = 0;
        for (let round = 0; round < 100; round++) {
          const now = await sweeper.events!.sweepExpired(at, 4);
          claimed += now;
          if (now === 0 && round > 20) break;
        }
        return claimed;
      };
      const deletes = sessions.filter((_, i) => i % 3 === 0).map((session) => sweepers[1]!.delete(session.id, at));
      const [claims, deleted] = await Promise.all([Promise.all(sweepers.map(sweep)), Promise.all(deletes)]);
      expect(deleted.every((outcome) => outcome === 'missing')).toBe(true);
      // Whatever a racing sweeper left (it stops after a round it lost), one more sweep finds.
      let drained = 0;
      for (let claimed = -1; claimed !== 0; drained += claimed) claimed = await store.events!.sweepExpired(at, 100);
      const byDeletes = sessions.length - claims.reduce((sum, n) => sum + n, 0) - drained;
      expect(byDeletes).toBeGreaterThanOrEqual(0);
      expect(byDeletes).toBeLessThanOrEqual(20);
      const events = (await readAll(at)).events;
      const expired = events.filter((event) => event.type === 'session.expired');
      expect(expired.map((event) => event.sessionId).sort()).toEqual(sessions.map((session) => session.id).sort());
      expect(events).toHaveLength(2 * sessions.length);
      expect(await store.list({ limit: 100 }, T0)).toMatchObject({ sessions: [] });
      console.info(`[sweep race] 60 expired sessions, 3 sweepers (budget 4) and 20 deletes: sweeps claimed ${claims.join(' + ')} (+${drained} after), deletes ${byDeletes}`);
    } finally {
      for (const other of clients) closeDynamoDocumentClient(other);
    }
  }, 120_000);
});

describe('TTL and the sweep', () => {
  it('a session item\'s TTL attribute lies reapDelayMs past its deadline, so the sweep claims it first (TTL records nothing)', async () => {
    const raw = async (id: string) =>
      (await client.send(new GetCommand({ TableName: tableName, Key: { home: id.slice(0, 4), id }, ConsistentRead: true }))).Item;
    const delayed = new DynamoSessionStore(client, tableName, { events: { ...options, reapDelayMs: 7_200_000 } });
    const session = makeSession(T0, { ttl: 60_000 });
    await delayed.create(session, T0);
    expect((await raw(session.id))?.['expiresAtSeconds']).toBe(Math.ceil(session.expiresAt / 1000) + 7_200);
    // A slide in place, and a write through the read-and-put path, keep the delay.
    const slid = await delayed.update(session.id, change(), T0 + 1_000);
    expect((await raw(session.id))?.['expiresAtSeconds']).toBe(Math.ceil((T0 + 1_000) / 1000) + 60 + 7_200);
    expect(slid).toMatchObject({ expiresAt: T0 + 61_000 });
    await delayed.update(session.id, change({ absoluteTimeout: 61_500 }), T0 + 2_000);
    expect((await raw(session.id))?.['expiresAtSeconds']).toBe(Math.ceil((T0 + 61_500) / 1000) + 7_200);
    // By default the delay is the retention; without events there is none.
    const other = makeSession(T0, { ttl: 60_000 });
    await store.create(other, T0);
    expect((await raw(other.id))?.['expiresAtSeconds']).toBe(Math.ceil(other.expiresAt / 1000) + 3_600);
    const plain = makeSession(T0, { ttl: 60_000 });
    await new DynamoSessionStore(client, tableName).create(plain, T0);
    expect((await raw(plain.id))?.['expiresAtSeconds']).toBe(Math.ceil(plain.expiresAt / 1000));
  });
});

describe('reading the log', () => {
  it('pages with a cursor in order per session; tail reads only what follows', async () => {
    const sessions = Array.from({ length: 12 }, (_, i) => makeSession(T0, { userId: `reader-${i}`, ttl: 60_000 }));
    for (const session of sessions) await store.create(session, T0);
    for (const session of sessions) await store.update(session.id, change({ data: { n: 1 } }), T0 + 1);
    const tail = await log.tail(T0 + 1);
    for (const session of sessions) await store.delete(session.id, T0 + 2);
    const all = await readAll(T0 + 2, undefined, 5);
    expect(all.events).toHaveLength(36);
    for (const session of sessions) {
      expect(perSession(all.events).get(session.id)).toEqual(['session.created', 'session.updated:replace', 'session.deleted:logout']);
    }
    // The page size changes nothing but the pages.
    expect((await readAll(T0 + 2, undefined, 1000)).events.map((event) => event.id)).toEqual(all.events.map((event) => event.id));
    const after = await readAll(T0 + 2, tail);
    expect(after.events.map((event) => event.type)).toEqual(Array.from({ length: 12 }, () => 'session.deleted'));
    // At the end, the end's cursor reads nothing, and equals tail's.
    expect((await log.read(all.cursor, 10, T0 + 2)).events).toEqual([]);
    expect(await log.tail(T0 + 2)).toBe(all.cursor);
  });

  it('writes racing on one session from three stores: one session.updated per version written, none for a conflict', async () => {
    const clients = [0, 1, 2].map(() => createTestClient(dynalite.endpoint));
    try {
      const writers = clients.map((other) => new DynamoSessionStore(other, tableName, { events: options }));
      const session = makeSession(T0, { ttl: 60_000 });
      await store.create(session, T0);
      // 30 free writes (each lands, at some version), and 10 conditional on version 1 (at most one lands).
      const free = Array.from({ length: 30 }, (_, i) => writers[i % 3]!.update(session.id, change({ data: { i } }), T0 + 1));
      const conditional = Array.from({ length: 10 }, (_, i) => writers[i % 3]!.update(session.id, change({ data: { c: i }, expectedVersion: 1 }), T0 + 1));
      const answers = await Promise.all([...free, ...conditional]);
      const written = answers.filter((answer) => typeof answer === 'object');
      expect(written.length).toBeGreaterThanOrEqual(30);
      expect(written.length).toBeLessThanOrEqual(31);
      const updates = (await readAll(T0 + 1)).events.filter((event) => event.type === 'session.updated');
      // Each version written recorded exactly once: versions 2 to written + 1.
      expect(updates.map((event) => event.version).sort((a, b) => a - b)).toEqual(written.map((answer) => (answer as { version: number }).version).sort((a, b) => a - b));
      expect(new Set(updates.map((event) => event.version)).size).toBe(written.length);
      // Order per session holds unless a writer paused between its change and its counter update
      // (docs/dynamodb-layout.md, "Events", guarantee 4): counted, not asserted.
      const swapped = updates.filter((event, i) => i > 0 && event.version < updates[i - 1]!.version).length;
      console.info(`[order] ${written.length} racing writes of one session from 3 stores: ${swapped} read out of version order`);
    } finally {
      for (const other of clients) closeDynamoDocumentClient(other);
    }
  }, 60_000);

  it('refuses cursors it did not issue', async () => {
    const foreign = [
      'garbage',
      encodePageCursor(undefined, handleIn()),
      encodeEventCursor(['0', '0']),
      encodeEventCursor(['0', '0', '0', 'x']),
      encodeEventCursor(['0', '0', '0', '01']),
      encodeEventCursor(['0', '0', '0', '-1']),
      `${await log.tail(T0)}=`,
    ];
    for (const cursor of foreign) {
      await expect(log.read(cursor, 10, T0), cursor).rejects.toSatisfy((error) => error instanceof InvalidInputError && error.field === 'cursor');
    }
    // A store with another number of partitions issues cursors of another shape.
    const wider = new DynamoSessionStore(client, tableName, { events: { partitions: 8 } });
    await expect(log.read(await wider.events!.tail(T0), 10, T0)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('keeps events for the retention only, whatever TTL has reaped', async () => {
    const short = new DynamoSessionStore(client, tableName, { events: { ...options, retentionMs: 1_000 } });
    const first = makeSession(T0, { ttl: 60_000 });
    const second = makeSession(T0 + 900, { ttl: 60_000 });
    await short.create(first, T0);
    await short.create(second, T0 + 900);
    expect((await short.events!.read(undefined, 10, T0 + 999)).events.map((event) => event.sessionId)).toEqual([first.id, second.id]);
    const page = await short.events!.read(undefined, 10, T0 + 1_000);
    expect(page.events.map((event) => event.sessionId)).toEqual([second.id]);
    expect((await short.events!.read(undefined, 10, T0 + 1_900)).events).toEqual([]);
    // A backlog past retention, 40 events of one user (one partition), is passed over in one
    // read of limit 1: each Query reads twice as many as the last (1 + 2 + … + 32 ≥ 40).
    for (let i = 0; i < 40; i++) await short.create(makeSession(T0 + 1_000, { userId: 'backlog', ttl: 60_000 }), T0 + 1_000);
    const passed = await short.events!.read(undefined, 1, T0 + 2_500);
    expect(passed.events).toEqual([]);
    expect(passed.cursor).toBe(await short.events!.tail(T0 + 2_500));
    // A cursor taken before still goes on from there, past what retention dropped.
    await short.create(makeSession(T0 + 2_000, { ttl: 60_000 }), T0 + 2_000);
    expect((await short.events!.read(page.cursor, 10, T0 + 2_000)).events).toHaveLength(1);
  });

  it('waits at a hole in the sequence (a number taken whose event is not written yet) for gapWaitMs, then reads past it', async () => {
    const session = makeSession(T0, { ttl: 60_000 });
    // A number taken in the session's partition by a writer that has not written its event.
    const p = partitionOf(session.id, PARTITIONS);
    await takeNumber(p);
    await store.create(session, T0);
    expect((await log.read(undefined, 10, T0)).events).toEqual([]);
    expect((await log.read(undefined, 10, T0 + 4_999)).events).toEqual([]);
    const past = await log.read(undefined, 10, T0 + 5_000);
    expect(past.events.map((event) => event.sessionId)).toEqual([session.id]);
    expect(past.events[0]!.id).toBe(`${p}-2`);
  });

  it('reads an event that lands late into its hole, before the hole is passed', async () => {
    const session = makeSession(T0, { ttl: 60_000 });
    const p = partitionOf(session.id, PARTITIONS);
    await takeNumber(p);
    await store.create(session, T0 + 1);
    expect((await log.read(undefined, 10, T0 + 1)).events).toEqual([]);
    // The writer of number 1 lands now (as the store writes it).
    const late = { type: 'session.created', time: T0, sessionId: handleIn(session.id.slice(0, 4)), version: 1 };
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { home: `~ev${p}`, id: `~ev${p}#${'1'.padStart(16, '0')}`, event: JSON.stringify(late), writtenAtMs: T0, keepUntilMs: T0 + 3_600_000, expiresAtSeconds: 0 },
      }),
    );
    const page = await log.read(undefined, 10, T0 + 2);
    expect(page.events.map((event) => event.id)).toEqual([`${p}-1`, `${p}-2`]);
  });
});

describe('the window: an event that cannot be written', () => {
  it('leaves the change as made (alias included) and throws StoreUnavailableError; nothing false is read', async () => {
    const failing = createTestClient(dynalite.endpoint);
    try {
      // The event's PutItem fails as a network would (the SDK has given up): the change has landed.
      failing.middlewareStack.add(
        (next) => async (args) => {
          const item = (args.input as { Item?: { home?: unknown } }).Item;
          if (typeof item?.home === 'string' && item.home.startsWith('~ev')) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
          return next(args);
        },
        { step: 'initialize', name: 'failEventPuts' },
      );
      const broken = new DynamoSessionStore(failing, tableName, { events: options });
      const session = makeSession(T0, { ttl: 60_000 });
      const alias = handleIn();
      await expect(broken.create(session, T0, { alias })).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.get(session.id, T0)).toEqual(session);
      expect(await store.resolve(alias, T0)).toEqual(session);
      await expect(broken.delete(session.id, T0 + 1)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.get(session.id, T0 + 1)).toBeUndefined();
      expect(await store.resolve(alias, T0 + 1)).toBeUndefined();
      // Both events are lost, and their numbers are holes that readers pass after gapWaitMs.
      expect((await readAll(T0 + 1 + options.gapWaitMs!)).events).toEqual([]);
      await store.create(makeSession(T0 + 2, { ttl: 60_000 }), T0 + 2);
      expect((await readAll(T0 + 2 + options.gapWaitMs!)).events.map((event) => event.type)).toEqual(['session.created']);
    } finally {
      closeDynamoDocumentClient(failing);
    }
  });
});

describe('consumer leases', () => {
  it('one owner at a time; the cursor saved goes to whoever claims next once the lease runs out', async () => {
    expect(await log.claimConsumer('hook-1', 'A', T0, 1_000)).toEqual({ cursor: undefined });
    expect(await log.claimConsumer('hook-1', 'B', T0 + 999, 1_000)).toBe('taken');
    // Another consumer is another lease.
    expect(await log.claimConsumer('hook-2', 'B', T0, 1_000)).toEqual({ cursor: undefined });
    expect(await log.saveConsumer('hook-1', 'A', cursorOf(1), T0 + 500, 1_000)).toBe(true);
    expect(await log.saveConsumer('hook-1', 'B', cursorOf(9), T0 + 500, 1_000)).toBe(false);
    // A renewed its lease to T0 + 1500 by saving.
    expect(await log.claimConsumer('hook-1', 'B', T0 + 1_499, 1_000)).toBe('taken');
    expect(await log.claimConsumer('hook-1', 'A', T0 + 1_000, 1_000)).toEqual({ cursor: cursorOf(1) });
    // Run out: B takes it, with A's cursor; A can no longer save.
    expect(await log.claimConsumer('hook-1', 'B', T0 + 2_000, 1_000)).toEqual({ cursor: cursorOf(1) });
    expect(await log.saveConsumer('hook-1', 'A', cursorOf(2), T0 + 2_001, 1_000)).toBe(false);
    expect(await log.saveConsumer('hook-1', 'B', cursorOf(3), T0 + 2_001, 1_000)).toBe(true);
    expect(await log.claimConsumer('hook-1', 'A', T0 + 5_000, 1_000)).toEqual({ cursor: cursorOf(3) });
  });

  it('saves only cursors of this log', async () => {
    expect(await log.claimConsumer('hook', 'A', T0, 1_000)).toEqual({ cursor: undefined });
    await expect(log.saveConsumer('hook', 'A', encodeEventCursor(['1']), T0, 1_000)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await log.claimConsumer('hook', 'A', T0, 1_000)).toEqual({ cursor: undefined });
  });

  it('only one of many racing claims wins', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => log.claimConsumer('raced', `owner-${i}`, T0, 1_000)));
    expect(answers.filter((answer) => answer !== 'taken')).toHaveLength(1);
  });
});

describe('beside the sessions', () => {
  it('a listing pages over the log\'s items (a Scan may stop on one) and shows sessions only', async () => {
    const sessions = Array.from({ length: 8 }, () => makeSession(T0, { userId: undefined, ttl: 60_000 }));
    for (const session of sessions) await store.create(session, T0);
    await log.claimConsumer('hook', 'A', T0, 1_000);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit: 1, cursor }, T0);
      seen.push(...page.sessions.map((session) => session.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(seen.sort()).toEqual(sessions.map((session) => session.id).sort());
    // Items of the log were among those the Scan read: more pages than sessions.
    expect(pages).toBeGreaterThan(sessions.length);
  });

  it('costs each change one UpdateItem (the partition\'s counter) and one PutItem (the event) more', async () => {
    const counted = async (run: () => Promise<unknown>): Promise<Record<string, number>> => {
      requests.reset();
      await run();
      return requests.counts();
    };
    const session = makeSession(T0, { ttl: 60_000 });
    expect(await counted(() => store.create(session, T0))).toEqual({ PutItem: 2, UpdateItem: 1 });
    expect(await counted(() => store.update(session.id, change({ data: { a: 1 } }), T0 + 1))).toEqual({ PutItem: 1, UpdateItem: 2 });
    expect(await counted(() => store.delete(session.id, T0 + 2))).toEqual({ DeleteItem: 1, PutItem: 1, UpdateItem: 1 });
    expect(await counted(() => log.read(undefined, 100, T0 + 2))).toEqual({ Query: PARTITIONS });
    expect(await counted(() => log.tail(T0 + 2))).toEqual({ GetItem: PARTITIONS });
    const expiring = makeSession(T0, { ttl: 10 });
    await store.create(expiring, T0);
    expect(await counted(() => log.sweepExpired(T0 + 10, 100))).toEqual({ Scan: 1, DeleteItem: 1, PutItem: 1, UpdateItem: 1 });
    // Off by default: no log, and no request more.
    const plain = new DynamoSessionStore(client, tableName);
    expect(plain.events).toBeUndefined();
    expect(await counted(() => plain.create(makeSession(T0, { ttl: 60_000 }), T0))).toEqual({ PutItem: 1 });
  });

  it('an item that is no session never becomes an event (an alias, a pending rotation)', async () => {
    const session = makeSession(T0, { ttl: 1_000 });
    const pending = { ...toSessionItem(makeSession(T0, { ttl: 1_000 })), pendingFrom: session.id };
    await client.send(new PutCommand({ TableName: tableName, Item: pending }));
    await store.create(session, T0, { alias: handleIn() });
    expect(await log.sweepExpired(T0 + 5_000, 100)).toBe(1);
    const kinds = perSession((await readAll(T0 + 5_000)).events);
    expect([...kinds.keys()]).toEqual([session.id]);
    expect(kinds.get(session.id)).toEqual(['session.created', 'session.expired']);
  });
});

/** Takes the next number of an event partition's counter, as a writer does before its event. */
async function takeNumber(p: number): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { home: { S: `~ev${p}` }, id: { S: `~ev${p}!` } },
      UpdateExpression: 'ADD #next :one',
      ExpressionAttributeNames: { '#next': 'next' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  );
}
