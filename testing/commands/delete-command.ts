import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { SESSION_IDS, tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** `delete` of a slot's session: true only if it was live. */
export class DeleteCommand extends StoreCommand {
  constructor(readonly slot: number) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const id = SESSION_IDS[this.slot]!;
    const expected = model.delete(id);
    const deleted = await store.delete(id, model.now);
    if (deleted !== expected) {
      throw new StoreMismatchError(`delete(${id}) at ${tickOf(model.now)}`, `expected ${expected}, got ${String(deleted)}`);
    }
  }

  toString(): string {
    return `delete(#${this.slot})`;
  }
}
