import type { SessionStore } from '../../core/index.js';
import type { StoreLimitations } from '../check-options.js';
import type { SessionModel } from '../session-model.js';
import { ID_COUNT, USERS } from '../session-values.js';
import { GetCommand } from './get-command.js';
import { ListByUserCommand, ListCommand } from './list-command.js';
import { StoreCommand } from './store-command.js';

/**
 * Reads everything at the current time: every id, every user's listing and the full listing.
 * Single reads land on an expiry boundary only by luck; a sweep after each step of the clock
 * sees every session that has just reached `expiresAt == now`.
 */
export class SweepCommand extends StoreCommand {
  constructor(
    readonly limit: number,
    readonly lacks: StoreLimitations,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    for (let slot = 0; slot < ID_COUNT; slot++) await new GetCommand(slot).run(model, store);
    for (const userId of USERS) await new ListByUserCommand(userId, { limits: [this.limit], maxBytes: undefined }, this.lacks).run(model, store);
    await new ListCommand({ limits: [this.limit], maxBytes: undefined }, this.lacks).run(model, store);
  }

  toString(): string {
    return `sweep(get every id, list every user and everyone in pages of ${this.limit})`;
  }
}
