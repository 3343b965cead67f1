import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** `deleteByUser`: every session of the user goes, and the count is of the live ones. */
export class DeleteByUserCommand extends StoreCommand {
  constructor(readonly userId: string) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const expected = model.deleteByUser(this.userId);
    const deleted = await store.deleteByUser(this.userId, model.now);
    if (deleted !== expected) {
      throw new StoreMismatchError(
        `deleteByUser(${JSON.stringify(this.userId)}) at ${tickOf(model.now)}`,
        `expected ${expected} live sessions deleted, got ${String(deleted)}`,
      );
    }
  }

  toString(): string {
    return `deleteByUser(${JSON.stringify(this.userId)})`;
  }
}
