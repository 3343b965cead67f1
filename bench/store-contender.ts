import { randomUUID } from 'node:crypto';

/** The five store operations every contender offers, in the order a cycle runs them. */
export const STORE_OPERATIONS = ['create', 'get', 'replace', 'refresh', 'delete'] as const;

/** One store operation. */
export type StoreOperation = (typeof STORE_OPERATIONS)[number];

/** The operations of one cycle, each called once per id index. */
export type CycleOperations = Readonly<Record<StoreOperation, (index: number) => Promise<void>>>;

/**
 * Something measured at the store level: our store, a peer, or a raw-client ceiling. A cycle
 * creates every id, then reads, replaces, refreshes and deletes each once, so each call finds
 * the state it expects; a call that does not throws, and the run stops.
 */
export interface StoreContender {
  readonly name: string;
  /** What each operation is for this contender, where it is not obvious (`SET PX`, `touch`). */
  readonly notes?: Readonly<Partial<Record<StoreOperation, string>>>;
  /**
   * The operations over `count` fresh sessions. Asynchronous because our stores' handles are
   * hashes, made before the clock starts.
   */
  cycle(count: number): Promise<CycleOperations>;
  /** Releases what the contender holds (clients, timers). */
  close(): Promise<void>;
}

/** Throws when a store answered something other than what the cycle implies. */
export function expectOutcome(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** `count` fresh random ids, for contenders whose ids are plain strings (peers, ceilings). */
export function freshIds(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID());
}

/** A contender that could not be built (its module did not load): every cycle fails with why. */
export function brokenContender(name: string, error: unknown, close: () => Promise<void>): StoreContender {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    name,
    async cycle() {
      throw new Error(`could not load: ${reason}`);
    },
    close,
  };
}
