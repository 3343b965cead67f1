import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** `countByUser`: how many of the user's sessions are live, and nothing else (it writes nothing). */
export class CountByUserCommand extends StoreCommand {
  constructor(readonly userId: string) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const expected = model.liveSessions(this.userId).length;
    const counted = await store.countByUser(this.userId, model.now);
    if (counted !== expected) {
      throw new StoreMismatchError(`countByUser(${JSON.stringify(this.userId)}) at ${tickOf(model.now)}`, `expected ${expected}, got ${String(counted)}`);
    }
  }

  toString(): string {
    return `countByUser(${JSON.stringify(this.userId)})`;
  }
}
