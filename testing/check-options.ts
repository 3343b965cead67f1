import type { SessionStore } from '../core/index.js';

/**
 * Guarantees of the port a store may honestly not give. Each one is declared by the store's
 * author and loosens exactly one check; nothing is loosened silently.
 */
export interface StoreLimitations {
  /**
   * A page may hold fewer sessions than asked for (even none) while more follow, as a DynamoDB
   * Scan or filtered Query does. The union of the pages must still be every live session once.
   */
  readonly fullPages?: boolean;
  /**
   * The last page may carry a cursor that leads only to empty pages, as DynamoDB's
   * `LastEvaluatedKey` does when a page ends exactly at the last item.
   */
  readonly nullCursorAtEnd?: boolean;
}

/** A store with a way to release it (close a client, drop a table) once a run is over. */
export interface DisposableStore {
  /** The fresh, empty store. */
  readonly store: SessionStore;
  /** Called once the run is over, pass or fail. */
  dispose(): void | Promise<void>;
}

/** Makes a fresh, empty store for one run; called once per run of each property. */
export type StoreFactory = () => SessionStore | DisposableStore | Promise<SessionStore | DisposableStore>;

/** The two properties of the suite. */
export type ConformanceProperty = 'sequential' | 'concurrency';

/** Options of `checkSessionStore`; every one is optional. */
export interface CheckSessionStoreOptions {
  /** Runs of each property (default 100). */
  readonly numRuns?: number;
  /** The longest command sequence of one sequential run (default 100). */
  readonly maxCommands?: number;
  /** The seed to replay, from a failure's message. */
  readonly seed?: number;
  /** The counterexample path to replay, from a failure's message; needs `seed` and `only`. */
  readonly path?: string;
  /** The commands' replay path, from a failure's message (`/*replayPath=...*\/`). */
  readonly replayPath?: string;
  /** Runs only this property (for a replay); both run otherwise. */
  readonly only?: ConformanceProperty;
  /** Guarantees this store does not give; see `StoreLimitations`. */
  readonly lacks?: StoreLimitations;
  /** Releases each store once its run is over, for factories that return a bare store. */
  readonly dispose?: (store: SessionStore) => void | Promise<void>;
}
