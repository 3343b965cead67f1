import type { ConformanceProperty } from './check-options.js';

/**
 * A store broke the port. The message holds the shrunk counterexample (the command sequence or
 * the race), what the store answered, and the options that replay exactly this failure.
 */
export class SessionStoreConformanceError extends Error {
  override readonly name = 'SessionStoreConformanceError';
  constructor(
    message: string,
    /** The property that failed. */
    readonly property: ConformanceProperty,
    /** The seed of the failing check. */
    readonly seed: number,
    /** The counterexample's path, for `options.path`. */
    readonly path: string,
    /** The commands' replay path, for `options.replayPath` (sequential property only). */
    readonly replayPath: string | undefined,
    /** How many runs it took to find a failure, the failing one included. */
    readonly numRuns: number,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}
