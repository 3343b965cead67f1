/**
 * Per-key turns within one store instance: `run` starts `work` once every earlier call with the
 * same key has settled. The user's lease (user-lease.ts) orders capped writes across processes;
 * this orders them within one first, so that a burst of one user's creates on one process waits
 * in a queue that wakes the next at once, instead of each polling the lease item (every poll a
 * failed conditional PutItem, billed as a write, and load that slows the holder's own requests).
 */
export class LocalTurns {
  readonly #last = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#last.get(key) ?? Promise.resolve();
    const mine = before.then(work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.#last.set(key, settled);
    try {
      return await mine;
    } finally {
      // The last in line takes its key out, so the map holds only users with writes in flight.
      if (this.#last.get(key) === settled) this.#last.delete(key);
    }
  }
}
