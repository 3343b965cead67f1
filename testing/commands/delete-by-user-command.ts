import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { tickOf, USERS } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/**
 * `deleteByUser`: every session of the user goes (but the one at the slot `except` names, when
 * given: log out other devices), and the count is of the live ones. Without a user, the user is
 * the excepted slot's owner (the first user for an anonymous slot): a session logging out its
 * user's other devices, which is what `except` is for.
 */
export class DeleteByUserCommand extends StoreCommand {
  constructor(
    readonly userId: string | undefined,
    readonly except?: number,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const slot = this.except === undefined ? undefined : model.universe.slots[this.except]!;
    const userId = this.userId ?? slot?.owner ?? USERS[0]!;
    const except = slot?.handle;
    const expected = model.deleteByUser(userId, except);
    const deleted = except === undefined ? await store.deleteByUser(userId, model.now) : await store.deleteByUser(userId, model.now, except);
    if (deleted !== expected) {
      const call = `deleteByUser(${JSON.stringify(userId)}${except === undefined ? '' : `, except ${except}`})`;
      throw new StoreMismatchError(`${call} at ${tickOf(model.now)}`, `expected ${expected} live sessions deleted, got ${String(deleted)}`);
    }
  }

  toString(): string {
    const except = this.except === undefined ? '' : `, except #${this.except}`;
    return `deleteByUser(${this.userId === undefined ? `owner of #${this.except}` : JSON.stringify(this.userId)}${except})`;
  }
}
