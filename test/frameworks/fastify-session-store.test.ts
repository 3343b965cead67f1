import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { InvalidInputError } from '../../core/index.js';
import { createFastifyStore, LOADED_FIELD, logoutEverywhere, type FastifySessionStore } from '../../transports/fastify/index.js';
import { countingStore } from '../support/counting-store.js';
import { ManualClock } from '../support/manual-clock.js';

// The store called the way @fastify/session 11 calls it (index.js decryptSession and onSend,
// lib/session.js), with callbacks; what a session object holds is what its Session copies from
// `get` (every field, by reference) plus its cookie.
const HOUR = 3_600_000;
const SID = 'Zk3vQw9x1LmN4pR7sT2uV5yA8bC0dE6f';

type Fields = Record<string, unknown>;

function fastifyStoreOn(options: { concurrency?: 'merge-top-level-keys' } = {}) {
  const clock = new ManualClock();
  const store = createFastifyStore({ store: new MemorySessionStore(), clock, ...options });
  return { clock, store };
}

const get = (store: FastifySessionStore, sid: string) =>
  new Promise<Fields | null>((resolve, reject) => store.get(sid, (error, value) => (error ? reject(error) : resolve((value ?? null) as Fields | null))));
const set = (store: FastifySessionStore, sid: string, session: Fields) =>
  new Promise<void>((resolve, reject) => store.set(sid, session as never, (error) => (error ? reject(error) : resolve())));
const destroy = (store: FastifySessionStore, sid: string) =>
  new Promise<void>((resolve, reject) => store.destroy(sid, (error) => (error ? reject(error) : resolve())));

/** A cookie as @fastify/session's Cookie serialises it (toJSON), `expires` by the framework's clock. */
const cookie = (maxAge: number | null) => ({
  toJSON: () => ({ expires: maxAge === null ? null : new Date(Date.now() + maxAge), originalMaxAge: maxAge, path: '/', httpOnly: true, secure: false }),
});

describe('createFastifyStore', () => {
  it('stores the fields and the cookie less its moving expires; the loaded marker is never stored', async () => {
    const { store } = fastifyStoreOn();
    await set(store, SID, { cart: [1], cookie: cookie(HOUR) });
    const loaded = (await get(store, SID))!;
    expect(loaded[LOADED_FIELD]).toEqual({});
    const { [LOADED_FIELD]: _marker, ...fields } = loaded;
    expect(fields).toEqual({ cart: [1], cookie: { originalMaxAge: HOUR, path: '/', httpOnly: true, secure: false } });
    await set(store, SID, { ...loaded, cart: [1, 2], cookie: cookie(HOUR) });
    expect((await store.bridge.load(SID))!.data).toEqual({ cart: [1, 2], cookie: { originalMaxAge: HOUR, path: '/', httpOnly: true, secure: false } });
  });

  it('the lifetime is the cookie\'s maxAge, or the policy\'s default for a browser-session cookie', async () => {
    const { store } = fastifyStoreOn();
    const other = 'Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk';
    await set(store, SID, { cookie: cookie(HOUR) });
    await set(store, other, { cookie: cookie(null) });
    const [hour, browser] = await Promise.all([store.bridge.load(SID), store.bridge.load(other)]);
    expect(hour!.expiresAt - hour!.createdAt).toBe(HOUR);
    expect(browser!.expiresAt - browser!.createdAt).toBe(store.bridge.service.policy.defaultTtl);
    expect(browser!.data).toEqual({ cookie: { expires: null, originalMaxAge: null, path: '/', httpOnly: true, secure: false } });
  });

  it('a rolling save of what was loaded, after log out everywhere, does not bring the session back', async () => {
    const { store } = fastifyStoreOn();
    await set(store, SID, { userId: 'ada', cookie: cookie(HOUR) });
    const loaded = (await get(store, SID))!;
    expect(await logoutEverywhere(store, 'ada')).toBe(1);
    await set(store, SID, { ...loaded, cookie: cookie(HOUR) });
    await set(store, SID, { ...loaded, seen: true, cookie: cookie(HOUR) });
    expect(await get(store, SID)).toBeNull();
  });

  it('two requests of one session changing different keys both land with merge-top-level-keys', async () => {
    const { store } = fastifyStoreOn({ concurrency: 'merge-top-level-keys' });
    await set(store, SID, { cart: [], theme: 'light', cookie: cookie(HOUR) });
    const a = (await get(store, SID))!;
    const b = (await get(store, SID))!;
    await set(store, SID, { ...a, cart: ['book'], cookie: cookie(HOUR) });
    await set(store, SID, { ...b, theme: 'dark', cookie: cookie(HOUR) });
    expect((await store.bridge.load(SID))!.data).toMatchObject({ cart: ['book'], theme: 'dark' });
  });

  it('a session the request made is created in one store call; a second save of that object is a replace', async () => {
    const counting = countingStore(new MemorySessionStore());
    const store = createFastifyStore({ store: counting.store, clock: new ManualClock() });
    const session = { views: 1, cookie: cookie(HOUR) };
    await set(store, SID, session);
    expect(Object.fromEntries(counting.calls)).toEqual({ create: 1 });
    counting.reset();
    session.views = 2;
    await set(store, SID, session);
    expect(counting.calls.get('create')).toBeUndefined();
    expect((await store.bridge.load(SID))!.data).toMatchObject({ views: 2 });
  });

  it('destroy ends it; bad input is a clear error through the callback', async () => {
    const { store } = fastifyStoreOn();
    await set(store, SID, { a: 1, cookie: cookie(HOUR) });
    await destroy(store, SID);
    expect(await get(store, SID)).toBeNull();
    await destroy(store, SID);
    await expect(set(store, 'not a sid', { a: 1 })).rejects.toThrow(InvalidInputError);
    await expect(set(store, SID, null as never)).rejects.toThrow(InvalidInputError);
    await expect(logoutEverywhere({} as never, 'ada')).rejects.toThrow(/createFastifyStore/);
  });
});
