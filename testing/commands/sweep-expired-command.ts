import type { SessionStore } from '../../core/index.js';
import { readNewEvents } from '../event-reading.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/**
 * `events.sweepExpired(now, budget)`: claims at most `budget` expired sessions, recording one
 * `session.expired` for each it claimed and nothing else; an answer below the budget means
 * nothing expired is left to claim (a sweeper waits then), so every session the model holds past
 * its deadline has had its expiry recorded by then.
 */
export class SweepExpiredCommand extends StoreCommand {
  constructor(readonly budget: number) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await this.claim(model, store);
  }

  /** Sweeps and checks what it did; answers how many it claimed. */
  async claim(model: SessionModel, store: SessionStore): Promise<number> {
    const operation = `sweepExpired(${tickOf(model.now)}, budget ${this.budget})`;
    const claimed = await store.events!.sweepExpired(model.now, this.budget);
    if (!Number.isInteger(claimed) || claimed < 0 || claimed > this.budget) {
      throw new StoreMismatchError(operation, `answered ${String(claimed)}, not a count within the budget`);
    }
    const read = await readNewEvents(model, store.events!, operation);
    const expired = read.filter((event) => event.type === 'session.expired').length;
    if (expired !== claimed || read.length !== expired) {
      throw new StoreMismatchError(operation, `claimed ${claimed}, yet recorded ${expired} session.expired among ${read.length} events`);
    }
    if (claimed === this.budget) return claimed;
    const left = model.events.unexpired(model.handles(), model.now);
    if (left.length > 0) throw new StoreMismatchError(operation, `claimed ${claimed}, below the budget, yet left ${left.join(', ')} unrecorded`);
    return claimed;
  }

  toString(): string {
    return `sweepExpired(budget ${this.budget})`;
  }
}
