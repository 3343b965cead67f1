import type { JsonObject, SessionStore } from '../../core/index.js';
import type { SessionModel } from '../session-model.js';
import { SLOT_COUNT } from '../session-universe.js';
import { ticks } from '../session-values.js';
import { AdvanceToExpiryCommand } from './advance-clock-command.js';
import { CreateCommand } from './create-command.js';
import { DeleteCommand } from './delete-command.js';
import { GetCommand, ResolveCommand } from './get-command.js';
import { ListByUserCommand } from './list-command.js';
import { DeleteByUserCommand } from './delete-by-user-command.js';
import { StoreCommand } from './store-command.js';

/**
 * The first slot's session handed over to the last slot, which in most runs collides with it
 * (the same handle for another owner, or the first slot's alias as an anonymous handle; see
 * `universe`): created with its alias, the last slot created while it lives, deleted (or left
 * to expire: its names are free again either way), the last slot created again, then everything
 * the first one left read: its alias, its handle, its user's listing. What a session leaves
 * behind (an alias, an index entry) shows only when its names are taken again, which random
 * commands reach too rarely on their own.
 */
export class HandoverCommand extends StoreCommand {
  constructor(
    readonly ttl: number,
    readonly data: JsonObject,
    /** End with `deleteByUser` of the first slot's user instead of its listing. */
    readonly thenDeleteUser: boolean,
    /** How the first slot's session ends: deleted, or by reaching its deadline. */
    readonly ending: 'delete' | 'expire' = 'delete',
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const last = SLOT_COUNT - 1;
    const owner = model.universe.slots[0]!.owner;
    const steps: StoreCommand[] = [
      new CreateCommand(0, true, this.ttl, this.data),
      new CreateCommand(last, true, this.ttl, this.data),
      this.ending === 'delete' ? new DeleteCommand(0) : new AdvanceToExpiryCommand(0),
      new CreateCommand(last, false, this.ttl, this.data),
      new ResolveCommand(0, 'alias'),
      new GetCommand(0),
      ...(owner === undefined
        ? []
        : [this.thenDeleteUser ? new DeleteByUserCommand(owner) : new ListByUserCommand(owner, { limits: [2], maxBytes: undefined })]),
    ];
    for (const step of steps) await step.run(model, store);
  }

  toString(): string {
    const ending = this.ending === 'expire' ? ', #0 expiring' : '';
    return `handover(#0 to #${SLOT_COUNT - 1}, ttl ${ticks(this.ttl)}, ${JSON.stringify(this.data)}${ending}${this.thenDeleteUser ? ', then deleteByUser' : ''})`;
  }
}
