import type { SessionStore } from '../core/index.js';

/**
 * Guarantees that port v1 let a store decline. Port v2 allows both to every store (a page may
 * be short or empty with a cursor, and a cursor may lead only to empty pages, so that no page
 * walks an unbounded backlog of expired entries), so the suite accepts them always and these
 * flags loosen nothing any more.
 * @deprecated Kept so that callers of 0.1 still compile; drop it.
 */
export interface StoreLimitations {
  readonly fullPages?: boolean;
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

/**
 * The properties of the suite: `sequential` and `concurrency` for every store; `events` (random
 * sequences, each call's recorded events checked against the model's) and `event-races` (racing
 * sweeps and writes) for a store with an event log (`store.events`).
 */
export type ConformanceProperty = 'sequential' | 'concurrency' | 'events' | 'event-races';

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
  /** Runs only this property (for a replay); all that apply to the store run otherwise. */
  readonly only?: ConformanceProperty;
  /** @deprecated Loosens nothing since port v2; see `StoreLimitations`. */
  readonly lacks?: StoreLimitations;
  /**
   * `false` for a store that does not apply `create`'s `limit` (the per-user session cap) and
   * refuses it with `InvalidInputError('limit')`: the capped commands (creates, and rotations
   * under `rotate`'s `limit`) and the capped races are left out, and a refused limit is checked
   * instead. Default `true`.
   */
  readonly sessionCaps?: boolean;
  /**
   * How the store records events: `atomic` (default) in the same step as the change, or
   * `after-change`, in a request of its own once the change is made (DynamoDB without Streams or
   * transactions). Then the one order `event-races` cannot hold it to is that of a handle's
   * expiry and its re-creation when a sweep that claimed the expired session is overtaken,
   * between its claim and its event, by a create over the freed handle: those two events are
   * compared as a set. Each expiry is still required exactly once, and every other order as for
   * an atomic store.
   */
  readonly eventRecording?: 'atomic' | 'after-change';
  /** Releases each store once its run is over, for factories that return a bare store. */
  readonly dispose?: (store: SessionStore) => void | Promise<void>;
}
