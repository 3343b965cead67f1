import fc from 'fast-check';
import type { CheckSessionStoreOptions, StoreFactory } from './check-options.js';
import { withFreshStore } from './opened-store.js';
import { racingAliasCreates, racingCreates, racingPatches, racingWrites, type RacingWrite } from './races.js';

/**
 * Calls racing on one session: racing creates of one handle (or with one alias) make one
 * session, racing updates on one version let exactly one through and racing updates with no
 * version are all written one after another, and racing merge patches through the core (their
 * store answers delivered in an order the scheduler picks) lose nothing.
 */
export function concurrencyProperty(makeStore: StoreFactory, options: CheckSessionStoreOptions) {
  return fc.asyncProperty(
    fc.scheduler(),
    fc.integer({ min: 2, max: 5 }),
    fc.array(fc.constantFrom<RacingWrite>('replace', 'refresh'), { minLength: 2, maxLength: 5 }),
    fc.integer({ min: 2, max: 6 }),
    (scheduler, creates, writes, patches) =>
      withFreshStore(makeStore, options, async (store) => {
        const session = await racingCreates(store, creates);
        await racingAliasCreates(store, creates);
        await racingWrites(store, session, writes);
        await racingPatches(scheduler, store, patches);
      }),
  );
}
