import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import {
  createSessionService,
  InvalidInputError,
  PayloadTooLargeError,
  SessionNotFoundError,
  TokenTakenError,
  UserMismatchError,
  VersionConflictError,
  type SecretGenerator,
  type SessionService,
} from '../../core/index.js';
import { ManualClock } from '../support/manual-clock.js';

const HOUR = 3_600_000;

describe('SessionService', () => {
  let clock: ManualClock;
  let service: SessionService;
  beforeEach(() => {
    clock = new ManualClock();
    service = createSessionService({
      store: new MemorySessionStore(),
      clock,
      policy: { defaultTtl: HOUR, maxTtl: 2 * HOUR, absoluteTimeout: 3 * HOUR, slidingExpiration: true, touchInterval: 0 },
    });
  });

  it('creates a session at version 1 that lives the default ttl', async () => {
    const session = await service.create({ userId: 'alice', data: { cart: [1] } });
    expect(session).toMatchObject({ userId: 'alice', data: { cart: [1] }, version: 1, ttl: HOUR });
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{22}$/);
    expect(session.createdAt).toBe(clock.now());
    expect(session.expiresAt).toBe(clock.now() + HOUR);
    const { token: _token, evicted, ...stored } = session;
    expect(evicted).toEqual([]);
    expect(await service.get(session.id)).toEqual(stored);
  });

  it('rotate: a new handle and token, same data, version + 1, createdAt kept, so the absolute timeout counts from the first creation', async () => {
    const anonymous = await service.create({ data: { cart: [1] } });
    for (let step = 0; step < 2; step++) {
      clock.advance(0.9 * HOUR);
      await service.refresh(anonymous.id);
    }
    clock.advance(0.9 * HOUR);
    const rotated = await service.rotate(anonymous.id, { userId: 'alice', graceSeconds: 10 });
    expect(rotated).toMatchObject({ userId: 'alice', data: { cart: [1] }, version: 4, createdAt: anonymous.createdAt, ttl: HOUR });
    expect(rotated.id).not.toBe(anonymous.id);
    expect(rotated.token).not.toBe(anonymous.token);
    // The slide stops at createdAt + 3 h, however late the rotation.
    expect(rotated.expiresAt).toBe(anonymous.createdAt + 3 * HOUR);
    await expect(service.get(anonymous.id)).rejects.toBeInstanceOf(SessionNotFoundError);
    clock.advance(9_999);
    expect((await service.resolve(anonymous.token)).id).toBe(rotated.id);
    clock.advance(1);
    await expect(service.resolve(anonymous.token)).rejects.toBeInstanceOf(SessionNotFoundError);
    expect((await service.resolve(rotated.token)).id).toBe(rotated.id);
    expect((await service.listByUser('alice')).sessions.map((s) => s.id)).toEqual([rotated.id]);
  });

  it('rotate refuses another user, a bad grace, a wrong version and an unknown session; its own user is fine', async () => {
    const session = await service.create({ userId: 'alice' });
    await expect(service.rotate(session.id, { userId: 'bob' })).rejects.toBeInstanceOf(UserMismatchError);
    await expect(service.rotate(session.id, { graceSeconds: 61 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.rotate(session.id, { graceSeconds: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.rotate(session.id, { expectedVersion: 2 })).rejects.toBeInstanceOf(VersionConflictError);
    await expect(service.rotate('AAAA.AAAAAAAAAAAAAAAAAAAAAA')).rejects.toBeInstanceOf(SessionNotFoundError);
    const same = await service.rotate(session.id, { userId: 'alice', expectedVersion: 1 });
    expect(same).toMatchObject({ userId: 'alice', version: 2 });
    await expect(service.resolve(session.token)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('honours ttlSeconds within the policy maximum', async () => {
    const session = await service.create({ userId: 'alice', ttlSeconds: 60 });
    expect(session.expiresAt - session.createdAt).toBe(60_000);
    await expect(service.create({ userId: 'alice', ttlSeconds: 2 * 3600 + 1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.create({ userId: 'alice', ttlSeconds: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.create({ userId: 'alice', ttlSeconds: 1.5 })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('expires exactly at expiresAt', async () => {
    const session = await service.create({ userId: 'alice', ttlSeconds: 10 });
    clock.advance(9_999);
    await expect(service.get(session.id)).resolves.toBeDefined();
    clock.advance(1);
    await expect(service.get(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(service.refresh(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(service.replace(session.id, {})).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(service.delete(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
    expect((await service.listByUser('alice')).sessions).toEqual([]);
  });

  it('replace bumps the version, slides expiry and checks the expected version', async () => {
    const session = await service.create({ userId: 'alice', data: { a: 1 } });
    clock.advance(1_000);
    const replaced = await service.replace(session.id, { b: 2 }, { expectedVersion: 1 });
    expect(replaced).toMatchObject({ data: { b: 2 }, version: 2, updatedAt: clock.now(), expiresAt: clock.now() + HOUR });
    await expect(service.replace(session.id, { c: 3 }, { expectedVersion: 1 })).rejects.toBeInstanceOf(VersionConflictError);
    expect((await service.get(session.id)).data).toEqual({ b: 2 });
  });

  it('patch merges by RFC 7386', async () => {
    const session = await service.create({ userId: 'alice', data: { a: 1, b: { c: 2, d: 3 } } });
    const patched = await service.patch(session.id, { a: null, b: { d: null, e: 4 } });
    expect(patched.data).toEqual({ b: { c: 2, e: 4 } });
    expect(patched.version).toBe(2);
  });

  it('concurrent patches without a version are all applied', async () => {
    const session = await service.create({ userId: 'alice' });
    await Promise.all(Array.from({ length: 50 }, (_, i) => service.patch(session.id, { [`k${i}`]: i })));
    const final = await service.get(session.id);
    expect(final.version).toBe(51);
    expect(Object.keys(final.data)).toHaveLength(50);
  });

  it('concurrent replaces on one version: exactly one wins', async () => {
    const session = await service.create({ userId: 'alice' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => service.replace(session.id, { i }, { expectedVersion: 1 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflictError);
  });

  it('refresh extends to now + ttl but never past the absolute timeout', async () => {
    const session = await service.create({ userId: 'alice' });
    clock.advance(HOUR / 2);
    expect((await service.refresh(session.id)).expiresAt).toBe(clock.now() + HOUR);
    for (let i = 0; i < 10; i++) {
      clock.advance(HOUR / 2);
      await service.refresh(session.id).catch(() => undefined);
    }
    expect(clock.now()).toBeGreaterThan(session.createdAt + 3 * HOUR);
    await expect(service.get(session.id)).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('without sliding expiry, writes keep expiresAt and refresh still extends', async () => {
    const fixed = createSessionService({
      store: new MemorySessionStore(),
      clock,
      policy: { defaultTtl: HOUR, maxTtl: HOUR, absoluteTimeout: 3 * HOUR, slidingExpiration: false, touchInterval: 0 },
    });
    const session = await fixed.create({ userId: 'bob' });
    clock.advance(1000);
    expect((await fixed.replace(session.id, { x: 1 })).expiresAt).toBe(session.expiresAt);
    expect((await fixed.refresh(session.id)).expiresAt).toBe(clock.now() + HOUR);
  });

  it('rejects bad input before touching the store', async () => {
    await expect(service.create({ userId: '' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.create({ userId: 'a\u0000b' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.create({ userId: 'x'.repeat(257) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.create({ userId: 'a', data: [] as never })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.create({ userId: 'a', data: { big: 'x'.repeat(70_000) } })).rejects.toBeInstanceOf(PayloadTooLargeError);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    await expect(service.create({ userId: 'a', data: deep as never })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.get('not-a-uuid')).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(service.list({ limit: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.list({ limit: 1001 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.list({ cursor: 'not a cursor!' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(service.list({ cursor: 'AAAA' })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('retries create when the secret generator repeats itself, and a taken caller token is refused', async () => {
    const secrets = ['A'.repeat(43), 'A'.repeat(43), 'B'.repeat(43)];
    const generator: SecretGenerator = { next: () => secrets.shift() ?? 'none' };
    const svc = createSessionService({ store: new MemorySessionStore(), clock, secrets: generator });
    const first = await svc.create({ userId: 'a' });
    const second = await svc.create({ userId: 'a' });
    expect(first.token.endsWith('A'.repeat(43))).toBe(true);
    expect(second.token.endsWith('B'.repeat(43))).toBe(true);
    expect(second.id).not.toBe(first.id);
    await svc.create({ token: 'c'.repeat(22) });
    await expect(svc.create({ token: 'c'.repeat(22), userId: 'a' })).rejects.toBeInstanceOf(TokenTakenError);
  });

  it('deleteByUser ends only that user\u2019s live sessions', async () => {
    await service.create({ userId: 'alice' });
    await service.create({ userId: 'alice', ttlSeconds: 1 });
    const bob = await service.create({ userId: 'bob' });
    clock.advance(1_000);
    expect(await service.deleteByUser('alice')).toBe(1);
    expect((await service.listByUser('alice')).sessions).toEqual([]);
    expect((await service.get(bob.id)).userId).toBe('bob');
  });

  it('deleteByUser with except keeps that one session (log out other devices); countByUser counts the live ones', async () => {
    const mine = await service.create({ userId: 'alice' });
    await service.create({ userId: 'alice' });
    await service.create({ userId: 'alice', ttlSeconds: 1 });
    expect(await service.countByUser('alice')).toBe(3);
    clock.advance(1_000);
    expect(await service.countByUser('alice')).toBe(2);
    expect(await service.deleteByUser('alice', { except: mine.id })).toBe(1);
    expect(await service.countByUser('alice')).toBe(1);
    expect((await service.get(mine.id)).id).toBe(mine.id);
    // Only a handle can be kept: a token or anything else is refused before the store.
    for (const except of ['', mine.token, `${mine.id}x`]) {
      await expect(service.deleteByUser('alice', { except })).rejects.toMatchObject({ constructor: InvalidInputError, field: 'except' });
    }
    await expect(service.countByUser('')).rejects.toBeInstanceOf(InvalidInputError);
    expect(await service.countByUser('alice')).toBe(1);
  });

  it('sessions handed out are copies: changing one changes nothing stored', async () => {
    const session = await service.create({ userId: 'alice', data: { a: { b: 1 } } });
    const read = await service.get(session.id);
    (read.data.a as Record<string, number>).b = 2;
    expect((await service.get(session.id)).data).toEqual({ a: { b: 1 } });
  });

  it('property: versions grow by one per successful write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('replace', 'patch', 'refresh'), { maxLength: 15 }), async (ops) => {
        const session = await service.create({ userId: 'p' });
        let version = 1;
        for (const op of ops) {
          const next =
            op === 'replace'
              ? await service.replace(session.id, { v: version })
              : op === 'patch'
                ? await service.patch(session.id, { v: version })
                : await service.refresh(session.id);
          expect(next.version).toBe(++version);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('handles and tokens', () => {
  const make = () => createSessionService({ store: new MemorySessionStore(), clock: new ManualClock() });

  it('create answers the token once; the session is named by a handle that holds only its hash', async () => {
    const service = make();
    const created = await service.create({ userId: 'alice', data: { a: 1 } });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{43}$/);
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{22}$/);
    expect(created.token.slice(0, 4)).toBe(created.id.slice(0, 4));
    const read = await service.get(created.id);
    expect(JSON.stringify(read)).not.toContain(created.token.slice(5));
    expect(read).not.toHaveProperty('token');
    expect(JSON.stringify(await service.listByUser('alice'))).not.toContain(created.token.slice(5));
  });

  it('resolve finds the session by the right token only', async () => {
    const service = make();
    const created = await service.create({ userId: 'alice' });
    expect((await service.resolve(created.token)).id).toBe(created.id);
    const wrongSecret = created.token.slice(0, -1) + (created.token.endsWith('A') ? 'B' : 'A');
    for (const token of [wrongSecret, created.id, 'x'.repeat(30), '', 'not a token!', created.token + '.']) {
      await expect(service.resolve(token), token).rejects.toBeInstanceOf(SessionNotFoundError);
    }
  });

  it('a user’s sessions share a home; anonymous sessions have none and list nowhere', async () => {
    const service = make();
    const one = await service.create({ userId: 'alice' });
    const two = await service.create({ userId: 'alice' });
    expect(one.id.slice(0, 4)).toBe(two.id.slice(0, 4));
    const anonymous = await service.create({ data: { cart: [1] } });
    expect(anonymous).not.toHaveProperty('userId');
    expect((await service.resolve(anonymous.token)).data).toEqual({ cart: [1] });
    expect((await service.list()).sessions.map((s) => s.id).sort()).toEqual([one.id, two.id, anonymous.id].sort());
  });

  it('a caller-chosen token with a user lives in the user’s home and still resolves by the token alone', async () => {
    const service = make();
    const mine = await service.create({ userId: 'alice' });
    const token = 'sid_' + 'q'.repeat(28);
    const created = await service.create({ userId: 'alice', token });
    expect(created.token).toBe(token);
    expect(created.id.slice(0, 4)).toBe(mine.id.slice(0, 4));
    expect((await service.resolve(token)).id).toBe(created.id);
    await service.delete(created.id);
    await expect(service.resolve(token)).rejects.toBeInstanceOf(SessionNotFoundError);
    // Its alias went with it, so the token is free again.
    expect((await service.create({ token })).token).toBe(token);
    await expect(service.create({ token: 'short' })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('throttled touch (issue 14 item 5)', () => {
  const HOUR_MS = 3_600_000;
  const make = (clock: ManualClock, touchInterval?: number) => {
    const counting = { writes: 0 };
    const store = new MemorySessionStore();
    const update = store.update.bind(store);
    // Counts what the store writes: a throttled refresh answers the very session it read.
    store.update = async (id, change, now) => {
      const before = await store.get(id, now);
      const after = await update(id, change, now);
      if (typeof after !== 'string' && before !== undefined && after.version !== before.version) counting.writes++;
      return after;
    };
    const policy = { defaultTtl: HOUR_MS, maxTtl: HOUR_MS, ...(touchInterval === undefined ? {} : { touchInterval }) };
    return { service: createSessionService({ store, clock, policy }), counting };
  };

  it('by default a refresh within 60 s of lastActiveAt answers the session unchanged and writes nothing', async () => {
    const clock = new ManualClock();
    const { service, counting } = make(clock);
    expect(service.policy.touchInterval).toBe(60_000);
    const created = await service.create({ userId: 'alice' });
    expect(created.lastActiveAt).toBe(created.createdAt);
    clock.advance(59_999);
    const { token: _token, evicted: _evicted, ...stored } = created;
    expect(await service.refresh(created.id)).toEqual(stored);
    expect(counting.writes).toBe(0);
    clock.advance(1);
    const written = await service.refresh(created.id);
    expect(written).toMatchObject({ version: 2, lastActiveAt: clock.now(), updatedAt: clock.now(), expiresAt: clock.now() + HOUR_MS });
    expect(counting.writes).toBe(1);
    clock.advance(30_000);
    expect(await service.refresh(created.id)).toEqual(written);
  });

  it('replace and patch leave lastActiveAt: the interval runs from the last refresh that wrote', async () => {
    const clock = new ManualClock();
    const { service } = make(clock, 10_000);
    const created = await service.create({ userId: 'alice' });
    clock.advance(9_000);
    const replaced = await service.replace(created.id, { a: 1 });
    expect(replaced).toMatchObject({ version: 2, lastActiveAt: created.createdAt });
    clock.advance(1_000);
    // 10 s after lastActiveAt, 1 s after updatedAt: it writes.
    expect(await service.refresh(created.id)).toMatchObject({ version: 3, lastActiveAt: clock.now() });
    const patched = await service.patch(created.id, { b: 2 });
    expect(patched).toMatchObject({ version: 4, lastActiveAt: clock.now() });
  });

  it('0 writes on every refresh; the interval is cut to half the ttl, so a short session never dies refreshed', async () => {
    const clock = new ManualClock();
    const every = make(clock, 0).service;
    const a = await every.create({});
    expect(await every.refresh(a.id)).toMatchObject({ version: 2 });
    const { service } = make(clock, 60_000);
    const short = await service.create({ ttlSeconds: 10 });
    clock.advance(4_999);
    expect(await service.refresh(short.id)).toMatchObject({ version: 1, expiresAt: short.expiresAt });
    clock.advance(1);
    expect(await service.refresh(short.id)).toMatchObject({ version: 2, expiresAt: clock.now() + 10_000 });
  });

  it('a conditional refresh still checks the version first', async () => {
    const clock = new ManualClock();
    const { service } = make(clock);
    const created = await service.create({});
    await expect(service.refresh(created.id, { expectedVersion: 2 })).rejects.toBeInstanceOf(VersionConflictError);
    expect(await service.refresh(created.id, { expectedVersion: 1 })).toMatchObject({ version: 1 });
  });
});
