import { expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionBridge } from '../../transports/session-bridge/index.js';
import { countingStore } from '../support/counting-store.js';
import { ManualClock } from '../support/manual-clock.js';

// The store calls each bridge operation costs in its usual case (express-session's requests),
// counted on the real memory store through the port.
const HOUR = 3_600_000;
const sid = (n: number): string => `calls-${String(n).padStart(26, '0')}`;

function bridgeOn(placeHints?: number) {
  const clock = new ManualClock();
  const counted = countingStore(new MemorySessionStore());
  const bridge = createSessionBridge({ store: counted.store, clock, policy: { touchInterval: 60_000 }, placeHints });
  /** The port methods `action` called, by name. */
  const methodsOf = async (action: () => Promise<unknown>): Promise<string[]> => {
    counted.reset();
    await action();
    return [...counted.calls].flatMap(([name, n]) => Array<string>(n).fill(name));
  };
  const callsOf = async (action: () => Promise<unknown>): Promise<number> => (await methodsOf(action)).length;
  return { clock, bridge, callsOf, methodsOf };
}

it('a load reads where this process last saw the sid, for as many sids as placeHints says; others are resolved', async () => {
  // Four places: generations of two, so the latest two to four are remembered.
  const { bridge, methodsOf } = bridgeOn(4);
  for (const n of [10, 11, 12, 13, 14]) await bridge.set(sid(n), { userId: 'alice' }, HOUR, null);
  expect(await methodsOf(() => bridge.load(sid(14)))).toEqual(['get']);
  expect(await methodsOf(() => bridge.load(sid(13)))).toEqual(['get']);
  expect(await methodsOf(() => bridge.load(sid(10)))).toEqual(['resolve']);
  // Resolved, it is remembered again.
  expect(await methodsOf(() => bridge.load(sid(10)))).toEqual(['get']);
  // None remembered: every load resolves, and still finds the session.
  const none = bridgeOn(0);
  await none.bridge.set(sid(15), { userId: 'alice' }, HOUR, null);
  expect(await none.methodsOf(() => none.bridge.load(sid(15)))).toEqual(['resolve']);
  expect(await none.methodsOf(() => none.bridge.load(sid(15)))).toEqual(['resolve']);
  expect(await none.bridge.get(sid(15))).toEqual({ userId: 'alice' });
  // The default remembers far more than five.
  const { bridge: usual, methodsOf: usualMethods } = bridgeOn();
  for (const n of [16, 17, 18, 19, 20]) await usual.set(sid(n), { userId: 'alice' }, HOUR, null);
  expect(await usualMethods(() => usual.load(sid(16)))).toEqual(['get']);
});

it('a touch of what the request loaded, within the touch interval, makes no store call; past it, one write', async () => {
  const { bridge, clock, callsOf } = bridgeOn();
  await bridge.set(sid(1), { userId: 'alice' }, HOUR, null);
  const loaded = await bridge.load(sid(1));
  clock.advance(59_000);
  expect(await callsOf(() => bridge.touch(sid(1), { userId: 'alice' }, loaded))).toBe(0);
  clock.advance(2_000);
  expect(await callsOf(() => bridge.touch(sid(1), { userId: 'alice' }, loaded))).toBe(1);
  expect((await bridge.load(sid(1)))?.lastActiveAt).toBe(loaded!.lastActiveAt + 61_000);
  // A session ended since is not brought back by a touch.
  await bridge.destroy(sid(1));
  await bridge.touch(sid(1), { userId: 'alice' }, loaded);
  expect(await bridge.load(sid(1))).toBeUndefined();
});

it('a set of what the request loaded is one store call; a destroy of a session this process loaded is one', async () => {
  const { bridge, callsOf } = bridgeOn();
  await bridge.set(sid(2), { userId: 'alice', n: 1 }, HOUR, null);
  const loaded = await bridge.load(sid(2));
  expect(await callsOf(() => bridge.set(sid(2), { userId: 'alice', n: 2 }, HOUR, loaded))).toBe(1);
  expect(await bridge.get(sid(2))).toEqual({ userId: 'alice', n: 2 });
  expect(await callsOf(() => bridge.destroy(sid(2)))).toBe(1);
  expect(await bridge.get(sid(2))).toBeUndefined();
});

it('a destroy still ends the session when it moved since this process saw it, or was never seen here', async () => {
  const { bridge } = bridgeOn();
  await bridge.set(sid(3), { userId: 'alice' }, HOUR, null);
  await bridge.load(sid(3));
  // Another request (as if another process) moves it to bob: where this process saw it is empty now.
  const other = createSessionBridge({ service: bridge.service });
  await other.set(sid(3), { userId: 'bob' }, HOUR);
  expect((await other.load(sid(3)))?.userId).toBe('bob');
  await bridge.destroy(sid(3));
  expect(await other.load(sid(3))).toBeUndefined();
  expect(await bridge.listUserSessions('bob')).toEqual([]);
  // Never loaded by this bridge at all.
  await other.set(sid(4), { userId: 'carol' }, HOUR, null);
  await bridge.destroy(sid(4));
  expect(await other.load(sid(4))).toBeUndefined();
});
