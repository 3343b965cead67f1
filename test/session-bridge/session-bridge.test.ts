import { describe, expect, it } from 'vitest';
import { createSessionService, InvalidInputError, SessionLimitError, type Session } from '../../core/index.js';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionBridge, type SessionBridgeOptions } from '../../transports/session-bridge/index.js';
import { ManualClock } from '../support/manual-clock.js';

const HOUR = 3_600_000;
const sid = (n: number): string => `sid-${String(n).padStart(28, '0')}`;

function bridgeOn(options: Partial<SessionBridgeOptions> = {}) {
  const clock = new ManualClock();
  const store = new MemorySessionStore();
  const bridge = createSessionBridge({ store, clock, policy: { touchInterval: 60_000 }, ...options } as SessionBridgeOptions);
  return { clock, store, bridge };
}

describe('the session bridge', () => {
  it('creates on the first set, reads the object back, replaces it, destroys it', async () => {
    const { bridge } = bridgeOn();
    expect(await bridge.get(sid(1))).toBeUndefined();
    await bridge.set(sid(1), { cart: [1], cookie: { expires: new Date(Date.UTC(2026, 0, 2)) } }, HOUR);
    expect(await bridge.get(sid(1))).toEqual({ cart: [1], cookie: { expires: '2026-01-02T00:00:00.000Z' } });
    await bridge.set(sid(1), { cart: [1, 2] }, HOUR);
    expect(await bridge.get(sid(1))).toEqual({ cart: [1, 2] });
    await bridge.destroy(sid(1));
    expect(await bridge.get(sid(1))).toBeUndefined();
    await bridge.destroy(sid(1)); // twice is fine
  });

  it('keeps only the hash of the sid: no stored field holds it', async () => {
    const { bridge, store } = bridgeOn();
    await bridge.set(sid(2), { userId: 'alice' }, HOUR);
    const [session] = await bridge.listUserSessions('alice');
    expect(JSON.stringify(session)).not.toContain(sid(2));
    expect(await store.get(session!.id, Date.UTC(2026, 0, 1))).toBeDefined();
  });

  it('the ttl is the cookie\'s, clamped to the policy, and the core\'s clock ends it', async () => {
    const { bridge, clock } = bridgeOn({ policy: { maxTtl: 2 * HOUR, slidingExpiration: false } });
    await bridge.set(sid(3), { a: 1 }, HOUR);
    await bridge.set(sid(4), { a: 1 }, 30 * 24 * HOUR);
    const three = await bridge.load(sid(3));
    const four = await bridge.load(sid(4));
    expect(three!.expiresAt - three!.createdAt).toBe(HOUR);
    expect(four!.expiresAt - four!.createdAt).toBe(2 * HOUR);
    clock.advance(HOUR);
    expect(await bridge.get(sid(3))).toBeUndefined();
    expect(await bridge.get(sid(4))).toEqual({ a: 1 });
  });

  it('an expired cookie (ttl <= 0) destroys the session', async () => {
    const { bridge } = bridgeOn();
    await bridge.set(sid(5), { a: 1 }, HOUR);
    await bridge.set(sid(5), { a: 2 }, 0);
    expect(await bridge.get(sid(5))).toBeUndefined();
  });

  it('the user field puts the session in the user\'s place; a change of user moves it', async () => {
    const { bridge } = bridgeOn();
    await bridge.set(sid(6), { cart: [1] }, HOUR);
    await bridge.set(sid(6), { cart: [1], userId: 42 }, HOUR);
    expect((await bridge.listUserSessions(42)).map((s) => s.data)).toEqual([{ cart: [1], userId: 42 }]);
    await bridge.set(sid(6), { cart: [1], userId: 'bob' }, HOUR);
    expect(await bridge.listUserSessions('42')).toEqual([]);
    expect(await bridge.listUserSessions('bob')).toHaveLength(1);
    expect(await bridge.length()).toBe(1);
    await bridge.set(sid(6), { cart: [] }, HOUR);
    expect(await bridge.listUserSessions('bob')).toEqual([]);
    expect(await bridge.get(sid(6))).toEqual({ cart: [] });
  });

  it('log out everywhere ends every session of the user and no other', async () => {
    const { bridge } = bridgeOn({ userIdField: 'uid' });
    await bridge.set(sid(7), { uid: 'alice' }, HOUR);
    await bridge.set(sid(8), { uid: 'alice' }, HOUR);
    await bridge.set(sid(9), { uid: 'bob' }, HOUR);
    expect(await bridge.logoutEverywhere('alice')).toBe(2);
    expect(await bridge.get(sid(7))).toBeUndefined();
    expect(await bridge.get(sid(9))).toEqual({ uid: 'bob' });
  });

  it('a set of a session this request loaded never resurrects it once another request ended it', async () => {
    for (const concurrency of ['last-write-wins', 'merge-top-level-keys'] as const) {
      const { bridge } = bridgeOn({ concurrency });
      await bridge.set(sid(10), { userId: 'alice', cart: [] }, HOUR);
      const loaded = await bridge.load(sid(10));
      await bridge.logoutEverywhere('alice');
      await bridge.set(sid(10), { userId: 'alice', cart: [1] }, HOUR, loaded);
      expect(await bridge.get(sid(10))).toBeUndefined();
    }
  });

  it('two requests writing at once: the last wins by default, both land with merge-top-level-keys', async () => {
    const run = async (concurrency: 'last-write-wins' | 'merge-top-level-keys') => {
      const { bridge } = bridgeOn({ concurrency });
      await bridge.set(sid(11), { a: 0, b: 0, gone: true }, HOUR);
      const loadedA = (await bridge.load(sid(11))) as Session;
      const loadedB = (await bridge.load(sid(11))) as Session;
      await bridge.set(sid(11), { a: 1, b: 0, gone: true }, HOUR, loadedA);
      await bridge.set(sid(11), { a: 0, b: 2 }, HOUR, loadedB);
      return bridge.get(sid(11));
    };
    expect(await run('last-write-wins')).toEqual({ a: 0, b: 2 });
    expect(await run('merge-top-level-keys')).toEqual({ a: 1, b: 2 });
  });

  it('merges concurrent sets of one process without losing any key', async () => {
    const { bridge } = bridgeOn({ concurrency: 'merge-top-level-keys' });
    await bridge.set(sid(12), {}, HOUR);
    const loaded = (await bridge.load(sid(12))) as Session;
    await Promise.all(Array.from({ length: 20 }, (_, i) => bridge.set(sid(12), { [`k${i}`]: i }, HOUR, loaded)));
    expect(Object.keys((await bridge.get(sid(12)))!)).toHaveLength(20);
  });

  it('a set the shell knows is new (loaded null) creates at once, and still replaces should the sid be taken', async () => {
    const { bridge } = bridgeOn();
    await bridge.set(sid(14), { userId: 'alice', a: 1 }, HOUR, null);
    expect(await bridge.get(sid(14))).toEqual({ userId: 'alice', a: 1 });
    await bridge.set(sid(14), { a: 2 }, HOUR, null);
    expect(await bridge.get(sid(14))).toEqual({ a: 2 });
    expect(await bridge.length()).toBe(1);
  });

  it('touch is throttled to one write per touch interval and never creates', async () => {
    const { bridge, clock } = bridgeOn();
    await bridge.touch(sid(13), {});
    expect(await bridge.get(sid(13))).toBeUndefined();
    await bridge.set(sid(13), { userId: 'alice' }, HOUR);
    const first = (await bridge.load(sid(13)))!;
    clock.advance(30_000);
    await bridge.touch(sid(13), { userId: 'alice' });
    expect((await bridge.load(sid(13)))!.version).toBe(first.version);
    clock.advance(31_000);
    await bridge.touch(sid(13), { userId: 'alice' });
    const touched = (await bridge.load(sid(13)))!;
    expect(touched.version).toBe(first.version + 1);
    expect(touched.expiresAt).toBe(clock.now() + HOUR);
  });

  it('all, length and clear see every live session', async () => {
    const { bridge } = bridgeOn();
    for (let i = 20; i < 25; i++) await bridge.set(sid(i), { i, ...(i % 2 ? { userId: 'u' } : {}) }, HOUR);
    expect(await bridge.length()).toBe(5);
    expect((await bridge.all()).map((s) => s.data['i']).sort()).toEqual([20, 21, 22, 23, 24]);
    expect(await bridge.clear()).toBe(5);
    expect(await bridge.length()).toBe(0);
  });

  it('bad input is a clear error that never names the sid', async () => {
    const { bridge } = bridgeOn();
    await expect(bridge.set('short', {}, HOUR)).rejects.toThrow(/sid: must be 22 to 256/);
    await expect(bridge.set(sid(30), { userId: { no: 1 } }, HOUR)).rejects.toBeInstanceOf(InvalidInputError);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const error = await bridge.set(sid(30), cyclic, HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(String(error)).not.toContain(sid(30));
    expect(await bridge.get('not a sid')).toBeUndefined();
    expect(() => createSessionBridge({ store: new MemorySessionStore(), userIdField: '' })).toThrow(/userIdField/);
    for (const placeHints of [-1, 1.5, Number.NaN, Infinity, '10' as unknown as number]) {
      expect(() => createSessionBridge({ store: new MemorySessionStore(), placeHints })).toThrow(/placeHints: must be a whole number, 0 or more/);
    }
  });

  it("the core's session cap holds for framework sessions: evict-oldest ends the first, reject refuses", async () => {
    const evicting = bridgeOn({ maxSessionsPerUser: 2 });
    for (const n of [40, 41, 42]) {
      evicting.clock.advance(1000);
      await evicting.bridge.set(sid(n), { userId: 'alice' }, HOUR, null);
    }
    expect(await evicting.bridge.get(sid(40))).toBeUndefined();
    expect(await evicting.bridge.listUserSessions('alice')).toHaveLength(2);
    const rejecting = bridgeOn({ maxSessionsPerUser: 1, sessionLimitPolicy: 'reject' });
    await rejecting.bridge.set(sid(43), { userId: 'alice' }, HOUR);
    await expect(rejecting.bridge.set(sid(44), { userId: 'alice' }, HOUR)).rejects.toBeInstanceOf(SessionLimitError);
    expect(await rejecting.bridge.get(sid(44))).toBeUndefined();
  });

  it('works over a service the caller built (its policy in force)', async () => {
    const service = createSessionService({ store: new MemorySessionStore(), policy: { maxTtl: HOUR } });
    const bridge = createSessionBridge({ service });
    await bridge.set(sid(31), { a: 1 }, 10 * HOUR);
    const session = (await bridge.load(sid(31)))!;
    expect(session.ttl).toBe(HOUR);
    expect(bridge.service).toBe(service);
  });
});
