import { EventfulStore } from './eventful-store.js';

/**
 * Mutant: a sweep reads the expired sessions off the index, then claims and records them in a
 * second step, so two sweeps in flight at once both record what they both read. Alone, as in a
 * sequence of calls, it is right; only sweeps that overlap record an expiry twice.
 */
export class RacySweepEventStore extends EventfulStore {
  #inFlight = 0;

  protected override async sweepExpired(now: number, budget: number): Promise<number> {
    this.#inFlight++;
    try {
      const { answer, recorded } = await this.recordedBy(now, () => super.sweepExpired(now, budget));
      // The gap between reading the index and claiming: another sweep in flight read the same.
      await Promise.resolve();
      if (this.#inFlight > 1) {
        for (const { id: _id, ...again } of recorded) this.record(again, now);
      }
      return answer;
    } finally {
      this.#inFlight--;
    }
  }
}
