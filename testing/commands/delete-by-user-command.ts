import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/**
 * `deleteByUser`: every session of the user goes (but the one at the slot `except` names, when
 * given: log out other devices), and the count is of the live ones.
 */
export class DeleteByUserCommand extends StoreCommand {
  constructor(
    readonly userId: string,
    readonly except?: number,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const except = this.except === undefined ? undefined : model.universe.slots[this.except]!.handle;
    const expected = model.deleteByUser(this.userId, except);
    const deleted = except === undefined ? await store.deleteByUser(this.userId, model.now) : await store.deleteByUser(this.userId, model.now, except);
    if (deleted !== expected) {
      throw new StoreMismatchError(
        `${this.#call(except)} at ${tickOf(model.now)}`,
        `expected ${expected} live sessions deleted, got ${String(deleted)}`,
      );
    }
  }

  #call(except: string | undefined): string {
    return `deleteByUser(${JSON.stringify(this.userId)}${except === undefined ? '' : `, except ${except}`})`;
  }

  toString(): string {
    return `deleteByUser(${JSON.stringify(this.userId)}${this.except === undefined ? '' : `, except #${this.except}`})`;
  }
}
