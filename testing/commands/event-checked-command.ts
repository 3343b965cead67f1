import type fc from 'fast-check';
import type { SessionStore } from '../../core/index.js';
import { readNewEvents } from '../event-reading.js';
import type { SessionModel } from '../session-model.js';
import { StoreCommand } from './store-command.js';

/**
 * A command of the sequential property, then the events it made: what the store recorded
 * meanwhile must be what the model expects, no more and no less, read at once (a store records
 * an event in the same step as its change, never later).
 */
export class EventCheckedCommand extends StoreCommand {
  constructor(readonly command: fc.AsyncCommand<SessionModel, SessionStore>) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    await this.command.run(model, store);
    await readNewEvents(model, store.events!, this.command.toString());
  }

  toString(): string {
    return this.command.toString();
  }
}
