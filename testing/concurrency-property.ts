import fc from 'fast-check';
import { cappedLoginOrder, racingCappedLogins } from './capped-logins.js';
import { cappedOrder } from './capped-order.js';
import type { CheckSessionStoreOptions, StoreFactory } from './check-options.js';
import { withFreshStore } from './opened-store.js';
import { TICK } from './session-values.js';
import { racingAliasCreates, racingCappedCreates, racingCreates, racingPatches, racingRotation, racingWrites, type RacingWrite, type RotationRival } from './races.js';

/**
 * Calls racing on one session: racing creates of one handle (or with one alias) make one
 * session, racing updates on one version let exactly one through and racing updates with no
 * version are all written one after another, and racing merge patches through the core (their
 * store answers delivered in an order the scheduler picks) lose nothing, and a rotation racing
 * reads and writes of its session carries each write over or refuses it, never loses one. Under
 * a session cap, racing creates of one user, and logins (rotations binding anonymous sessions to
 * the user) racing creates, leave at most the cap live and nothing evicted anywhere.
 */
export function concurrencyProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  return fc.asyncProperty(
    fc.scheduler(),
    fc.integer({ min: 2, max: 5 }),
    fc.array(fc.constantFrom<RacingWrite>('replace', 'refresh'), { minLength: 2, maxLength: 5 }),
    fc.integer({ min: 2, max: 6 }),
    fc.array(fc.constantFrom<RotationRival>('update', 'update', 'delete', 'get', 'resolve'), { minLength: 1, maxLength: 4 }),
    fc.nat({ max: 4 }),
    fc.constantFrom(0, 1, TICK + 1),
    fc.record({ count: fc.integer({ min: 2, max: 8 }), max: fc.integer({ min: 1, max: 4 }), policy: fc.constantFrom('evict-oldest' as const, 'evict-idlest' as const, 'reject' as const) }),
    fc.record({
      logins: fc.integer({ min: 1, max: 4 }),
      creates: fc.integer({ min: 0, max: 3 }),
      max: fc.integer({ min: 1, max: 3 }),
      policy: fc.constantFrom('evict-oldest' as const, 'evict-idlest' as const, 'reject' as const),
    }),
    (scheduler, creates, writes, patches, rivals, rotateAt, graceMs, capped, logins) =>
      withFreshStore(makeStore, options, async (store) => {
        const session = await racingCreates(store, creates);
        await racingAliasCreates(store, creates);
        await racingWrites(store, session, writes);
        await racingPatches(scheduler, store, patches);
        if (options.sessionCaps !== false) {
          await racingCappedCreates(store, capped.count, { max: capped.max, policy: capped.policy });
          await cappedOrder(store);
          await cappedLoginOrder(store);
          await racingCappedLogins(store, logins.logins, logins.creates, { max: logins.max, policy: logins.policy });
        }
        await racingRotation(store, rivals, rotateAt, graceMs);
      }),
  );
}
