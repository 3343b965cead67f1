import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionService, evictionsFor, SessionLimitError, SessionNotFoundError, type Session } from '../../core/index.js';

const at = (id: string, createdAt: number, lastActiveAt = createdAt) => ({ id, createdAt, updatedAt: createdAt, lastActiveAt }) as Session;
const ids = (outcome: readonly Session[] | 'refused') => (outcome as readonly Session[]).map((s) => s.id);

describe('evictionsFor', () => {
  it('evicts nothing within the cap, the oldest (then by handle) past it, refuses under reject', () => {
    const live = [at('b', 2), at('a', 2), at('c', 1, 9)];
    expect(evictionsFor(live, { max: 4, policy: 'evict-oldest' })).toEqual([]);
    expect(ids(evictionsFor(live, { max: 2, policy: 'evict-oldest' }))).toEqual(['c', 'a']);
    expect(ids(evictionsFor(live, { max: 3, policy: 'evict-idlest' }))).toEqual(['a']);
    expect(evictionsFor(live, { max: 3, policy: 'reject' })).toBe('refused');
  });
});

describe('the service under a session cap', () => {
  it('evicts the oldest, names it, and the evicted session is gone; anonymous sessions are not capped', async () => {
    let now = 1_000;
    const service = createSessionService({ store: new MemorySessionStore(), clock: { now: () => now++ }, maxSessionsPerUser: 2 });
    const first = await service.create({ userId: 'ada' });
    await service.create({ userId: 'ada' });
    const third = await service.create({ userId: 'ada' });
    expect(third.evicted).toEqual([first.id]);
    await expect(service.get(first.id)).rejects.toBeInstanceOf(SessionNotFoundError);
    expect(await service.countByUser('ada')).toBe(2);
    for (let i = 0; i < 3; i++) expect((await service.create({})).evicted).toEqual([]);
  });

  it('refuses past the cap under reject, writing nothing', async () => {
    const service = createSessionService({ store: new MemorySessionStore(), maxSessionsPerUser: 1, sessionLimitPolicy: 'reject' });
    await service.create({ userId: 'ada' });
    await expect(service.create({ userId: 'ada' })).rejects.toBeInstanceOf(SessionLimitError);
    expect(await service.countByUser('ada')).toBe(1);
  });

  it('counts a login against the cap: rotating into a full place evicts the oldest and names it', async () => {
    let now = 1_000;
    const service = createSessionService({ store: new MemorySessionStore(), clock: { now: () => now++ }, maxSessionsPerUser: 1 });
    const held = await service.create({ userId: 'ada' });
    const cart = await service.create({ data: { cart: [1] } });
    const loggedIn = await service.rotate(cart.id, { userId: 'ada' });
    expect(loggedIn).toMatchObject({ userId: 'ada', data: { cart: [1] }, evicted: [held.id] });
    await expect(service.get(held.id)).rejects.toBeInstanceOf(SessionNotFoundError);
    // The user's own rotation replaces the session: at the cap, nothing to evict.
    expect((await service.rotate(loggedIn.id)).evicted).toEqual([]);
    expect(await service.countByUser('ada')).toBe(1);
  });

  it('refuses a login past the cap under reject; the anonymous session stays as it was', async () => {
    const service = createSessionService({ store: new MemorySessionStore(), maxSessionsPerUser: 1, sessionLimitPolicy: 'reject' });
    await service.create({ userId: 'ada' });
    const cart = await service.create({ data: { cart: [1] } });
    await expect(service.rotate(cart.id, { userId: 'ada' })).rejects.toBeInstanceOf(SessionLimitError);
    const { token: _token, evicted: _evicted, ...stored } = cart;
    expect(await service.resolve(cart.token)).toEqual(stored);
    expect(await service.countByUser('ada')).toBe(1);
  });

  it('refuses a cap that is no whole number of at least 1', () => {
    expect(() => createSessionService({ store: new MemorySessionStore(), maxSessionsPerUser: 0 })).toThrow(/maxSessionsPerUser/);
  });
});
