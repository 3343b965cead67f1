import type { SessionStore } from '../../core/index.js';
import type { SessionModel } from '../session-model.js';
import { SLOT_COUNT } from '../session-universe.js';
import { USERS } from '../session-values.js';
import { GetCommand, ResolveCommand } from './get-command.js';
import { ListByUserCommand, ListCommand } from './list-command.js';
import { StoreCommand } from './store-command.js';

/**
 * Reads everything at the current time: every slot by handle, every alias by `resolve`, every
 * user's listing and the full listing. Single reads land on an expiry boundary only by luck; a
 * sweep after each step of the clock sees every session that has just reached `expiresAt == now`.
 */
export class SweepCommand extends StoreCommand {
  constructor(readonly limit: number) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      await new GetCommand(slot).run(model, store);
      await new ResolveCommand(slot, 'alias').run(model, store);
    }
    const plan = { limits: [this.limit], maxBytes: undefined };
    for (const userId of USERS) await new ListByUserCommand(userId, plan).run(model, store);
    await new ListCommand(plan).run(model, store);
  }

  toString(): string {
    return `sweep(get and resolve every slot, list every user and everyone in pages of ${this.limit})`;
  }
}
