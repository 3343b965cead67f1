/**
 * Runs this process's read-check-write cycles on one session one at a time, in arrival order.
 * Without it, N concurrent merges into one session in one process all read the same version and
 * all but one lose the race, again and again: N² wasted round trips, and under enough load some
 * run out of retries (hardening item 10: 400 PATCHes through two processes). With it, only
 * writers in other processes race, and the retry loop absorbs those. Sessions never wait for
 * each other, and an idle session holds no entry.
 */
export class SessionWriteQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `write` once every earlier write to `id` has settled; resolves or rejects as it does. */
  run<T>(id: string, write: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(id) ?? Promise.resolve()).then(write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(id, tail);
    void tail.then(() => {
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    });
    return result;
  }

  /** How many sessions have writes queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
