import fc from 'fast-check';
import type { CheckSessionStoreOptions, ConformanceProperty, StoreFactory } from './check-options.js';
import { SessionStoreConformanceError } from './conformance-error.js';
import { concurrencyProperty } from './concurrency-property.js';
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
  return name === 'sequential'
    ? fc.check(sequentialProperty(makeStore, options), parameters)
    : fc.check(concurrencyProperty(makeStore, options), parameters);
}

/**
 * Checks that a `SessionStore` behaves exactly as the port says: random sequences of every
 * operation against a model, then calls racing on one session. Resolves when both properties
 * hold; rejects with a `SessionStoreConformanceError` carrying the shrunk counterexample and the
 * options that replay it. Framework-agnostic: await it in any test runner.
 *
 * `makeStore` returns a fresh, empty store per run, or `{ store, dispose }` to release it after.
 */
export async function checkSessionStore(makeStore: StoreFactory, options: CheckSessionStoreOptions = {}): Promise<void> {
  if (options.path !== undefined && (options.seed === undefined || options.only === undefined)) {
    throw new TypeError('checkSessionStore: a replay `path` needs the `seed` and `only` of the same failure');
  }
  const properties = options.only === undefined ? (['sequential', 'concurrency'] as const) : [options.only];
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
  const replayPath = property === 'sequential' ? /replayPath="([^"]*)"/.exec(shown)?.[1] : undefined;
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
