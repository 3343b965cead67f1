import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  createSessionService,
  encodeEventCursor,
  encodePageCursor,
  InvalidInputError,
  type Session,
  type SessionChange,
  type SessionEvent,
  type SessionEventLog,
} from '../../core/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { makeSession, T0 } from '../support/session-fixtures.js';

const FAR = Number.MAX_SAFE_INTEGER;

/** A store with events on, and its log. */
function eventful(options: ConstructorParameters<typeof MemorySessionStore>[0] = {}): { store: MemorySessionStore; log: SessionEventLog } {
  const store = new MemorySessionStore({ events: true, ...options });
  if (store.events === undefined) throw new Error('events are on, yet the store has no log');
  return { store, log: store.events };
}

/** Every event of the log from its start, read in pages of `limit`, and the cursor at the end. */
async function readAll(log: SessionEventLog, now: number, limit = 3, after?: string): Promise<{ events: SessionEvent[]; cursor: string }> {
  const events: SessionEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await log.read(cursor, limit, now);
    events.push(...page.events);
    cursor = page.cursor;
    if (page.events.length < limit) return { events, cursor };
  }
}

/** The events without their ids (checked apart: unique and increasing). */
const withoutIds = (events: readonly SessionEvent[]) => events.map(({ id: _id, ...rest }) => rest);

const change = (overrides: Partial<SessionChange> = {}): SessionChange => ({ slide: true, absoluteTimeout: FAR, ...overrides });

/** A session of `userId` created at T0 living `ttl`. */
const sessionOf = (userId: string | undefined, ttl = 1000, overrides: Partial<Session> = {}): Session =>
  makeSession(T0, { userId, ttl, ...overrides });

describe('MemorySessionStore events', () => {
  it('records nothing and has no log unless events are on', async () => {
    expect(new MemorySessionStore().events).toBeUndefined();
    expect(new MemorySessionStore({ events: false }).events).toBeUndefined();
    expect(new MemorySessionStore({ events: { retentionMs: 1000 } }).events).toBeDefined();
  });

  it('records each change with its type, reason and version, never its data', async () => {
    const { store, log } = eventful();
    const a = sessionOf('alice', 1000, { data: { secret: 'data' } });
    expect(await store.create(a, T0)).toBe('created');
    await store.update(a.id, change({ data: { x: 1 }, cause: 'patch' }), T0 + 10);
    await store.update(a.id, change({ data: { x: 2 } }), T0 + 20);
    await store.update(a.id, change(), T0 + 30); // a refresh that slides: expiresAt moves
    await store.update(a.id, change({ slide: false }), T0 + 40); // a refresh that writes, deadline held
    await store.update(a.id, change({ touchInterval: 100 }), T0 + 50); // throttled: no write
    const b = sessionOf('alice');
    await store.create(b, T0 + 60);
    expect(await store.delete(b.id, T0 + 70)).toBe('deleted');
    const { events } = await readAll(log, T0 + 70);
    expect(withoutIds(events)).toEqual([
      { type: 'session.created', time: T0, sessionId: a.id, userId: 'alice', version: 1 },
      { type: 'session.updated', time: T0 + 10, sessionId: a.id, userId: 'alice', version: 2, reason: 'patch' },
      { type: 'session.updated', time: T0 + 20, sessionId: a.id, userId: 'alice', version: 3, reason: 'replace' },
      { type: 'session.refreshed', time: T0 + 30, sessionId: a.id, userId: 'alice', version: 4 },
      { type: 'session.created', time: T0 + 60, sessionId: b.id, userId: 'alice', version: 1 },
      { type: 'session.deleted', time: T0 + 70, sessionId: b.id, userId: 'alice', version: 1, reason: 'logout' },
    ]);
    expect((await store.get(a.id, T0 + 70))?.version).toBe(5); // the held refresh wrote, unreported
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('records nothing for a conflicting, missing, taken or refused write', async () => {
    const { store, log } = eventful();
    const a = sessionOf('alice');
    const b = sessionOf('alice');
    await store.create(a, T0);
    await store.create(b, T0);
    const tail = await log.tail(T0);
    expect(await store.update(a.id, change({ data: {}, expectedVersion: 7 }), T0)).toBe('conflict');
    expect(await store.update(sessionOf('alice').id, change({ data: {} }), T0)).toBe('missing');
    expect(await store.delete(a.id, T0, 7)).toBe('conflict');
    expect(await store.delete(sessionOf('alice').id, T0)).toBe('missing');
    expect(await store.create({ ...sessionOf('alice'), id: a.id }, T0)).toBe('exists');
    expect(await store.create(sessionOf('alice'), T0, { limit: { max: 2, policy: 'reject' } })).toBe('refused');
    const next = { ...sessionOf('alice'), version: 2 };
    expect(await store.rotate(a.id, { ...next, version: 5 }, T0, { graceUntil: T0 + 10 })).toBe('conflict');
    expect(await store.rotate(a.id, { ...next, id: b.id }, T0, { graceUntil: T0 + 10 })).toBe('exists');
    expect(await store.rotate(a.id, next, T0, { graceUntil: T0 + 10, limit: { max: 1, policy: 'reject' } })).toBe('refused');
    expect(await store.deleteByUser('nobody', T0)).toBe(0);
    expect((await log.read(tail, 10, T0)).events).toEqual([]);
  });

  it('records a rotation with the old handle deleted and its grace, and evictions by the cap', async () => {
    const { store, log } = eventful();
    // Created one after another, so the cap's oldest is never a tie.
    const [a, b, c] = [0, 1, 2].map((i) => makeSession(T0 + i, { userId: 'alice' })) as [Session, Session, Session];
    await store.create(a, T0);
    await store.create(b, T0 + 1);
    const created = await store.create(c, T0 + 2, { limit: { max: 2, policy: 'evict-oldest' } });
    expect(created).toEqual({ evicted: [a.id] });
    const next = { ...c, id: sessionOf('alice').id, version: 2, updatedAt: T0 + 3 };
    const rotated = await store.rotate(c.id, next, T0 + 3, { graceUntil: T0 + 13 });
    expect(typeof rotated).toBe('object');
    const anonymous = sessionOf(undefined);
    await store.create(anonymous, T0 + 4);
    // A login: the anonymous session bound to alice, who is at the cap (evicting one of two).
    const login = { ...anonymous, id: sessionOf('alice').id, userId: 'alice', version: 2 };
    const loggedIn = await store.rotate(anonymous.id, login, T0 + 5, { graceUntil: T0 + 5, limit: { max: 2, policy: 'evict-oldest' } });
    expect(loggedIn).toMatchObject({ evicted: [b.id] });
    const { events } = await readAll(log, T0 + 5);
    expect(withoutIds(events).slice(2)).toEqual([
      { type: 'session.deleted', time: T0 + 2, sessionId: a.id, userId: 'alice', version: 1, reason: 'evicted' },
      { type: 'session.created', time: T0 + 2, sessionId: c.id, userId: 'alice', version: 1 },
      { type: 'session.rotated', time: T0 + 3, sessionId: next.id, userId: 'alice', version: 2, previousId: c.id },
      { type: 'session.deleted', time: T0 + 3, sessionId: c.id, userId: 'alice', version: 1, reason: 'rotated', graceUntil: T0 + 13 },
      { type: 'session.created', time: T0 + 4, sessionId: anonymous.id, version: 1 },
      { type: 'session.deleted', time: T0 + 5, sessionId: b.id, userId: 'alice', version: 1, reason: 'evicted' },
      { type: 'session.rotated', time: T0 + 5, sessionId: login.id, userId: 'alice', version: 2, previousId: anonymous.id },
      { type: 'session.deleted', time: T0 + 5, sessionId: anonymous.id, version: 1, reason: 'rotated', graceUntil: T0 + 5 },
    ]);
  });

  it('records logout-everywhere, and logout-others sparing the session named', async () => {
    const { store, log } = eventful();
    const [a, b, c] = [sessionOf('bob'), sessionOf('bob'), sessionOf('bob')];
    for (const s of [a, b, c]) await store.create(s, T0);
    const tail = await log.tail(T0);
    expect(await store.deleteByUser('bob', T0 + 1, a.id)).toBe(2);
    expect(await store.deleteByUser('bob', T0 + 2)).toBe(1);
    const { events } = await readAll(log, T0 + 2, 10, tail);
    const reasons = Object.fromEntries(events.map((event) => [event.sessionId, [event.reason, event.time]]));
    expect(reasons).toEqual({ [b.id]: ['logout-others', T0 + 1], [c.id]: ['logout-others', T0 + 1], [a.id]: ['logout-everywhere', T0 + 2] });
  });

  it('records one session.expired per expired session, whichever path reclaims it, at its deadline', async () => {
    // No reclaiming budget: only the reads themselves (and the sweep) reclaim.
    const { store, log } = eventful({ reclaimBudget: 0 });
    const byGet = sessionOf('carol', 100);
    const byCreate = sessionOf('carol', 200);
    const byListing = sessionOf('carol', 300);
    const byDeleteAll = sessionOf('dave', 400);
    const bySweep = sessionOf('erin', 500);
    const live = sessionOf('erin', 10_000);
    for (const s of [byGet, byCreate, byListing, byDeleteAll, bySweep, live]) await store.create(s, T0);
    const tail = await log.tail(T0);
    const now = T0 + 1000;
    expect(await store.get(byGet.id, now)).toBeUndefined();
    expect(await store.get(byGet.id, now)).toBeUndefined();
    expect(await store.resolve(byGet.id, now)).toBeUndefined();
    expect(await store.create({ ...makeSession(now, { userId: 'carol' }), id: byCreate.id }, now)).toBe('created');
    expect((await store.listByUser('carol', { limit: 10 }, now)).sessions.map((s) => s.id)).toEqual([byCreate.id]);
    expect(await store.deleteByUser('dave', now)).toBe(0);
    expect(await log.sweepExpired(now, 5)).toBe(1);
    expect(await log.sweepExpired(now, 5)).toBe(0);
    await store.list({ limit: 10 }, now);
    const { events } = await readAll(log, now, 10, tail);
    const expired = (s: Session) => ({ type: 'session.expired', time: s.expiresAt, recordedAt: now, sessionId: s.id, userId: s.userId, version: 1 });
    expect(withoutIds(events)).toEqual([
      expired(byGet),
      expired(byCreate),
      { type: 'session.created', time: now, sessionId: byCreate.id, userId: 'carol', version: 1 },
      expired(byListing),
      expired(byDeleteAll),
      expired(bySweep),
    ]);
  });

  it('sweeps in budgets: an answer below the budget leaves nothing expired, rewritten sessions counted once', async () => {
    const { store, log } = eventful({ reclaimBudget: 0 });
    const sessions = Array.from({ length: 7 }, (_, i) => sessionOf(`u${i}`, 100 + i));
    for (const s of sessions) await store.create(s, T0);
    // Each rewrite leaves a stale entry in the expiry queue behind: it must claim nothing.
    for (const s of sessions) await store.update(s.id, change({ data: { again: true }, slide: false }), T0 + 1);
    expect(await log.sweepExpired(T0 + 50, 10)).toBe(0);
    const tail = await log.tail(T0 + 50);
    expect(await log.sweepExpired(T0 + 1000, 3)).toBe(3);
    expect(await log.sweepExpired(T0 + 1000, 3)).toBe(3);
    expect(await log.sweepExpired(T0 + 1000, 3)).toBe(1);
    expect(await log.sweepExpired(T0 + 1000, 3)).toBe(0);
    const { events } = await readAll(log, T0 + 1000, 10, tail);
    expect(events.map((event) => [event.type, event.sessionId, event.version, event.time])).toEqual(
      sessions.map((s) => ['session.expired', s.id, 2, s.expiresAt]),
    );
  });

  it('racing sweeps, reads and creates over expired handles yield exactly one session.expired each', async () => {
    const { store, log } = eventful({ reclaimBudget: 2 });
    const sessions = Array.from({ length: 40 }, (_, i) => sessionOf(`u${i % 4}`, 100 + i));
    for (const s of sessions) await store.create(s, T0);
    const now = T0 + 1000;
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i++) calls.push(log.sweepExpired(now, 4));
    for (const s of sessions.slice(0, 10)) calls.push(store.get(s.id, now), store.create({ ...sessionOf(s.userId, 5000), id: s.id }, now));
    for (let i = 0; i < 4; i++) calls.push(store.listByUser(`u${i}`, { limit: 2 }, now), log.sweepExpired(now, 3));
    await Promise.all(calls);
    while ((await log.sweepExpired(now, 4)) === 4);
    const { events } = await readAll(log, now, 7);
    const expiredOf = new Map<string, number>();
    for (const event of events) if (event.type === 'session.expired') expiredOf.set(event.sessionId, (expiredOf.get(event.sessionId) ?? 0) + 1);
    expect([...expiredOf.keys()].sort()).toEqual(sessions.map((s) => s.id).sort());
    expect([...expiredOf.values()].every((count) => count === 1)).toBe(true);
  });

  it('pages by cursor, reads after the tail only what comes later, and refuses cursors it did not issue', async () => {
    const { store, log } = eventful();
    const empty = await log.read(undefined, 10, T0);
    expect(empty.events).toEqual([]);
    for (let i = 0; i < 5; i++) await store.create(sessionOf('alice'), T0);
    // A cursor taken from an empty log reads everything recorded since.
    expect((await log.read(empty.cursor, 10, T0)).events).toHaveLength(5);
    const first = await log.read(undefined, 2, T0);
    const second = await log.read(first.cursor, 2, T0);
    const third = await log.read(second.cursor, 2, T0);
    expect([...first.events, ...second.events, ...third.events].map((event) => event.id)).toEqual(['1', '2', '3', '4', '5']);
    expect((await log.read(third.cursor, 2, T0)).events).toEqual([]);
    const tail = await log.tail(T0);
    expect((await log.read(tail, 10, T0)).events).toEqual([]);
    await store.create(sessionOf('alice'), T0);
    expect((await log.read(tail, 10, T0)).events.map((event) => event.id)).toEqual(['6']);
    const foreign = [
      encodePageCursor(undefined, '1'),
      encodeEventCursor(['7']), // past the end: never issued
      encodeEventCursor(['1', '2']),
      encodeEventCursor(['01']),
      'bm90LWEtY3Vyc29y',
      '',
    ];
    for (const cursor of foreign) {
      const error = await log.read(cursor, 10, T0).catch((rejection: unknown) => rejection);
      expect(error, cursor).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe('cursor');
    }
  });

  it('drops events past the retention, and a cursor from before them reads on from the oldest kept', async () => {
    const { store, log } = eventful({ events: { retentionMs: 1000 } });
    await store.create(sessionOf('alice', 60_000), T0);
    const early = await log.read(undefined, 10, T0);
    await store.create(sessionOf('alice', 60_000), T0 + 500);
    await store.create(sessionOf('alice', 60_000), T0 + 1200);
    // At T0 + 1600 the first two (recorded at T0 and T0 + 500) are more than a second old.
    const page = await log.read(undefined, 10, T0 + 1600);
    expect(page.events.map((event) => event.id)).toEqual(['3']);
    expect((await log.read(early.cursor, 10, T0 + 1600)).events.map((event) => event.id)).toEqual(['3']);
    expect((await log.read(encodeEventCursor(['0']), 10, T0 + 1600)).events.map((event) => event.id)).toEqual(['3']);
    // An append drops them too; the tail names the last event even when none is kept.
    await store.create(sessionOf('alice', 60_000), T0 + 5000);
    const { events } = await readAll(log, T0 + 5000);
    expect(events.map((event) => event.id)).toEqual(['4']);
    expect((await log.read(await log.tail(T0 + 9000), 10, T0 + 9000)).events).toEqual([]);
    expect((await log.read(undefined, 10, T0 + 9000)).events).toEqual([]);
    expect(() => new MemorySessionStore({ events: { retentionMs: 0 } })).toThrow(RangeError);
  });

  it('leases a consumer to one owner at a time, hands it over when the lease runs out, saves only while held', async () => {
    const { store, log } = eventful();
    await store.create(sessionOf('alice'), T0);
    expect(await log.claimConsumer('hook', 'p1', T0, 1000)).toEqual({ cursor: undefined });
    expect(await log.claimConsumer('hook', 'p2', T0 + 999, 1000)).toBe('taken');
    expect(await log.claimConsumer('other', 'p2', T0, 1000)).toEqual({ cursor: undefined });
    const { cursor } = await log.read(undefined, 10, T0);
    expect(await log.saveConsumer('hook', 'p1', cursor, T0 + 500, 1000)).toBe(true);
    expect(await log.saveConsumer('hook', 'p2', cursor, T0 + 500, 1000)).toBe(false);
    // Renewed by the save until T0 + 1500.
    expect(await log.claimConsumer('hook', 'p2', T0 + 1400, 1000)).toBe('taken');
    expect(await log.claimConsumer('hook', 'p1', T0 + 1400, 1000)).toEqual({ cursor });
    expect(await log.claimConsumer('hook', 'p2', T0 + 2400, 1000)).toEqual({ cursor });
    expect(await log.saveConsumer('hook', 'p1', cursor, T0 + 2500, 1000)).toBe(false);
    await expect(log.saveConsumer('hook', 'p2', encodePageCursor(undefined, '1'), T0 + 2500, 1000)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('through the service: patch and replace record their cause, a refresh that writes, the sweep the expiry', async () => {
    const clock = new ManualClock(T0);
    const store = new MemorySessionStore({ events: true });
    const service = createSessionService({
      store,
      clock,
      policy: { defaultTtl: 100_000, maxTtl: 100_000, absoluteTimeout: 1_000_000, slidingExpiration: true, touchInterval: 60_000 },
    });
    const tail = await service.eventsTail();
    const created = await service.create({ userId: 'frank', data: { a: 1 } });
    clock.advance(100);
    await service.patch(created.id, { b: 2 });
    clock.advance(100);
    await service.replace(created.id, { c: 3 });
    clock.advance(100);
    await service.refresh(created.id); // within the touch interval: no write, no event
    clock.advance(60_000);
    await service.refresh(created.id);
    clock.advance(200_000);
    expect(await service.sweepExpired()).toBe(1);
    expect(await service.sweepExpired()).toBe(0);
    const { events } = await service.readEvents({ after: tail });
    expect(events.map((event) => [event.type, event.reason, event.version, event.time])).toEqual([
      ['session.created', undefined, 1, T0],
      ['session.updated', 'patch', 2, T0 + 100],
      ['session.updated', 'replace', 3, T0 + 200],
      ['session.refreshed', undefined, 4, T0 + 60_300],
      ['session.expired', undefined, 4, T0 + 60_300 + 100_000],
    ]);
    expect(events.at(-1)?.recordedAt).toBe(clock.now());
    expect(JSON.stringify(events)).not.toContain(created.token);
  });
});
