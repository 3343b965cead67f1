import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { InvalidInputError } from '../../core/index.js';
import { createKoaStore, listUserSessions, logoutEverywhere } from '../../transports/koa/index.js';
import { countingStore } from '../support/counting-store.js';
import { ManualClock } from '../support/manual-clock.js';

// The store called the way koa-session 7 calls it (context.ts: initFromExternal, save, remove):
// what the HTTP flows cannot pin down, such as two requests of one session at once.
const HOUR = 3_600_000;
const KEY = '6f1c2a4e-0b7d-4c8e-9a3f-2d5b8e1c7a90';

function koaStoreOn(options: { concurrency?: 'merge-top-level-keys' } = {}) {
  const clock = new ManualClock();
  const store = createKoaStore({ store: new MemorySessionStore(), clock, ...options });
  return { clock, store };
}

describe('createKoaStore', () => {
  it('keeps what koa-session saves less _expire, answers the core\'s deadline in it, and hands back a copy', async () => {
    const { store, clock } = koaStoreOn();
    const ctx = {};
    await store.set(KEY, { cart: [1], _expire: Date.now() + HOUR, _maxAge: HOUR }, HOUR + 10_000, { changed: true, rolling: false, ctx });
    expect((await store.bridge.load(KEY))!.data).toEqual({ cart: [1], _maxAge: HOUR });
    const got = (await store.get(KEY, HOUR, { rolling: false, ctx })) as { cart: number[] };
    expect(got).toEqual({ cart: [1], _maxAge: HOUR, _expire: clock.now() + HOUR + 10_000 });
    got.cart.push(2);
    expect(await store.get(KEY, HOUR, { rolling: false, ctx: {} })).toMatchObject({ cart: [1] });
    // A touch moves the deadline koa-session sees (for `renew`) without a write.
    clock.advance(30 * 60_000);
    await store.set(KEY, { ...got, cart: [1] }, HOUR + 10_000, { changed: false, rolling: true, ctx });
    expect(await store.get(KEY, HOUR, { rolling: true, ctx: {} })).toMatchObject({ _expire: clock.now() + HOUR + 10_000 });
  });

  it('a session is created with maxAge as its lifetime, or the policy\'s default for a browser-session cookie', async () => {
    const { store } = koaStoreOn();
    await store.set(KEY, { a: 1 }, HOUR + 10_000, { changed: true, rolling: false, ctx: {} });
    await store.set('0d3e1b7c-5a2f-4e9d-8c6b-1f7a3e9d2c40', { a: 1, _session: true }, 'session', { changed: true, rolling: false, ctx: {} });
    const [hour, browser] = await Promise.all([store.bridge.load(KEY), store.bridge.load('0d3e1b7c-5a2f-4e9d-8c6b-1f7a3e9d2c40')]);
    expect(hour!.expiresAt - hour!.createdAt).toBe(HOUR + 10_000);
    expect(browser!.expiresAt - browser!.createdAt).toBe(store.bridge.service.policy.defaultTtl);
  });

  it('two requests of one session changing different keys both land with merge-top-level-keys', async () => {
    const { store } = koaStoreOn({ concurrency: 'merge-top-level-keys' });
    await store.set(KEY, { cart: [], theme: 'light' }, HOUR, { changed: true, rolling: false, ctx: {} });
    const first = {};
    const second = {};
    const a = (await store.get(KEY, HOUR, { rolling: false, ctx: first })) as Record<string, unknown>;
    const b = (await store.get(KEY, HOUR, { rolling: false, ctx: second })) as Record<string, unknown>;
    await store.set(KEY, { ...a, cart: ['book'] }, HOUR, { changed: true, rolling: false, ctx: first });
    await store.set(KEY, { ...b, theme: 'dark' }, HOUR, { changed: true, rolling: false, ctx: second });
    expect((await store.bridge.load(KEY))!.data).toEqual({ cart: ['book'], theme: 'dark' });
  });

  it('a save after regenerate (a new key) creates the new session; the old one is destroyed', async () => {
    const { store } = koaStoreOn();
    const ctx = {};
    await store.set(KEY, { views: 1 }, HOUR, { changed: true, rolling: false, ctx: {} });
    const loaded = (await store.get(KEY, HOUR, { rolling: true, ctx })) as Record<string, unknown>;
    const next = '9b2e4d6f-1a3c-4e5b-8d7f-0c2a4e6b8d10';
    await store.destroy(KEY, { ctx });
    await store.set(next, { ...loaded, userId: 'ada' }, HOUR, { changed: false, rolling: true, ctx });
    expect(await store.get(KEY, HOUR, { rolling: true, ctx: {} })).toBeUndefined();
    expect(await store.get(next, HOUR, { rolling: true, ctx: {} })).toMatchObject({ views: 1, userId: 'ada' });
    expect((await listUserSessions(store, 'ada')).map((session) => session.data)).toEqual([{ views: 1, userId: 'ada' }]);
    expect(await logoutEverywhere(store, 'ada')).toBe(1);
  });

  it('a session the request made is created in one store call; its second save is a replace', async () => {
    const counting = countingStore(new MemorySessionStore());
    const store = createKoaStore({ store: counting.store, clock: new ManualClock() });
    const ctx = {};
    await store.set(KEY, { views: 1 }, HOUR, { changed: true, rolling: false, ctx });
    expect(Object.fromEntries(counting.calls)).toEqual({ create: 1 });
    counting.reset();
    await store.set(KEY, { views: 1, userId: undefined }, HOUR, { changed: true, rolling: false, ctx });
    expect(counting.calls.get('create')).toBeUndefined();
    expect((await store.bridge.load(KEY))!.data).toEqual({ views: 1 });
  });

  it('bad input is a clear error, never a crash, and names no key', async () => {
    const { store } = koaStoreOn();
    // koa-session's `prefix` option makes keys such as `sess:<uuid>`, which are no tokens.
    const write = store.set(`sess:${KEY}`, { a: 1 }, HOUR, { changed: true, rolling: false, ctx: {} });
    await expect(write).rejects.toThrow(InvalidInputError);
    await expect(write).rejects.toThrow(/genid/);
    await expect(write).rejects.not.toThrow(KEY);
    expect(await store.get(`sess:${KEY}`, HOUR, { rolling: false, ctx: {} })).toBeUndefined();
    await expect(store.set(KEY, 'a string' as never, HOUR, { changed: true, rolling: false, ctx: {} })).rejects.toThrow(InvalidInputError);
    await expect(logoutEverywhere({} as never, 'ada')).rejects.toThrow(/createKoaStore/);
  });
});
