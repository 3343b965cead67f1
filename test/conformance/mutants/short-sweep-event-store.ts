import { EventfulStore } from './eventful-store.js';

/** Mutant: a sweep answers one less than it claimed, so a sweeper stops with expired sessions left. */
export class ShortSweepEventStore extends EventfulStore {
  protected override async sweepExpired(now: number, budget: number): Promise<number> {
    const claimed = await super.sweepExpired(now, budget);
    return claimed === budget ? claimed - 1 : claimed;
  }
}
