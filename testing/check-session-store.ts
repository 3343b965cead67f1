import fc from 'fast-check';
import type { CheckSessionStoreOptions, ConformanceProperty, StoreFactory } from './check-options.js';
import { SessionStoreConformanceError } from './conformance-error.js';
import { concurrencyProperty } from './concurrency-property.js';
import { eventRacesProperty } from './event-races.js';
import { eventsProperty } from './events-property.js';
import { openStore } from './opened-store.js';
import { sequentialProperty } from './sequential-property.js';

/** What a failed check tells, whatever the property's arguments. */
interface CheckDetails {
  readonly failed: boolean;
  readonly seed: number;
  readonly numRuns: number;
  readonly numShrinks: number;
  readonly counterexample: unknown;
  readonly counterexamplePath: string | null;
  readonly errorInstance: unknown;
}

function check(name: ConformanceProperty, makeStore: StoreFactory, options: CheckSessionStoreOptions): Promise<CheckDetails> {
  const parameters = {
    numRuns: options.numRuns ?? 100,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  };
  switch (name) {
    case 'sequential':
      return fc.check(sequentialProperty(makeStore, options), parameters);
    case 'concurrency':
      return fc.check(concurrencyProperty(makeStore, options), parameters);
    case 'events':
      return fc.check(eventsProperty(makeStore, options), parameters);
    case 'event-races':
      return fc.check(eventRacesProperty(makeStore, options), parameters);
  }
}

/** Whether the factory's stores record events: one store is made to look, and released. */
async function recordsEvents(makeStore: StoreFactory, options: CheckSessionStoreOptions): Promise<boolean> {
  const { store, dispose } = await openStore(makeStore, options);
  try {
    return store.events !== undefined;
  } finally {
    await dispose();
  }
}

/**
 * Checks that a `SessionStore` behaves exactly as the port says: random sequences of every
 * operation against a model, then calls racing on one session; and for a store with an event
 * log (`store.events`, one store is made first to see), the events every sequence records
 * against the model's, then racing sweeps and writes. Resolves when every property holds; rejects with a `SessionStoreConformanceError` carrying the shrunk counterexample and the
 * options that replay it. Framework-agnostic: await it in any test runner.
 *
 * `makeStore` returns a fresh, empty store per run, or `{ store, dispose }` to release it after.
 */
export async function checkSessionStore(makeStore: StoreFactory, options: CheckSessionStoreOptions = {}): Promise<void> {
  if (options.path !== undefined && (options.seed === undefined || options.only === undefined)) {
    throw new TypeError('checkSessionStore: a replay `path` needs the `seed` and `only` of the same failure');
  }
  const events = await recordsEvents(makeStore, options);
  if ((options.only === 'events' || options.only === 'event-races') && !events) {
    throw new TypeError(`checkSessionStore: the ${options.only} property needs a store with events (store.events)`);
  }
  const properties: readonly ConformanceProperty[] =
    options.only !== undefined ? [options.only] : events ? ['sequential', 'concurrency', 'events', 'event-races'] : ['sequential', 'concurrency'];
  for (const name of properties) {
    const details = await check(name, makeStore, options);
    if (details.failed) throw failure(name, details, options);
  }
}

function failure(
  property: ConformanceProperty,
  details: CheckDetails,
  options: CheckSessionStoreOptions,
): SessionStoreConformanceError {
  const path = details.counterexamplePath ?? '';
  const shown = fc.stringify(details.counterexample);
  const replayPath = property === 'sequential' || property === 'events' ? /replayPath="([^"]*)"/.exec(shown)?.[1] : undefined;
  const replay = {
    ...(options.numRuns === undefined ? {} : { numRuns: options.numRuns }),
    ...(options.maxCommands === undefined ? {} : { maxCommands: options.maxCommands }),
    seed: details.seed,
    path,
    ...(replayPath === undefined ? {} : { replayPath }),
    only: property,
  };
  const cause = details.errorInstance;
  const message = [
    `The store breaks the SessionStore port (${property} property, after ${details.numRuns} runs, shrunk ${details.numShrinks} times).`,
    `Counterexample: ${shown}`,
    `Failure: ${cause instanceof Error ? cause.message : String(cause)}`,
    `Replay with: checkSessionStore(makeStore, ${JSON.stringify(replay)})`,
  ].join('\n');
  return new SessionStoreConformanceError(message, property, details.seed, path, replayPath, details.numRuns, cause);
}
