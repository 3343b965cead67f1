import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { createSessionBridge, saveSession } from '../../transports/session-bridge/index.js';
import { ManualClock } from '../support/manual-clock.js';

const HOUR = 3_600_000;
const SID = 'save-session-sid-0000000000000';

function bridgeOn() {
  const clock = new ManualClock();
  const bridge = createSessionBridge({ store: new MemorySessionStore(), clock, policy: { touchInterval: 60_000 } });
  return { clock, bridge };
}

describe('saveSession', () => {
  it('an unchanged object is a throttled touch: no write within the interval, a refresh after it', async () => {
    const { bridge, clock } = bridgeOn();
    await bridge.set(SID, { userId: 'ada', cart: [1] }, HOUR);
    const loaded = (await bridge.load(SID))!;
    clock.advance(30_000);
    await saveSession(bridge, SID, { userId: 'ada', cart: [1] }, HOUR, loaded);
    expect((await bridge.load(SID))!.version).toBe(loaded.version);
    clock.advance(60_000);
    await saveSession(bridge, SID, { userId: 'ada', cart: [1] }, HOUR, loaded);
    const refreshed = (await bridge.load(SID))!;
    expect(refreshed.expiresAt).toBe(clock.now() + HOUR);
    expect(refreshed.data).toEqual({ userId: 'ada', cart: [1] });
  });

  it('a changed object is written', async () => {
    const { bridge } = bridgeOn();
    await bridge.set(SID, { cart: [1] }, HOUR);
    const loaded = (await bridge.load(SID))!;
    await saveSession(bridge, SID, { cart: [1, 2] }, HOUR, loaded);
    expect(await bridge.get(SID)).toEqual({ cart: [1, 2] });
  });

  it('never brings back a session ended since it was loaded, changed or not', async () => {
    const { bridge } = bridgeOn();
    await bridge.set(SID, { userId: 'ada' }, HOUR);
    const loaded = (await bridge.load(SID))!;
    await bridge.logoutEverywhere('ada');
    await saveSession(bridge, SID, { userId: 'ada' }, HOUR, loaded);
    await saveSession(bridge, SID, { userId: 'ada', seen: true }, HOUR, loaded);
    expect(await bridge.get(SID)).toBeUndefined();
  });

  it('without a loaded session it creates (a new session, or one just regenerated)', async () => {
    const { bridge } = bridgeOn();
    await saveSession(bridge, SID, { views: 1 }, HOUR, undefined);
    expect(await bridge.get(SID)).toEqual({ views: 1 });
  });
});
