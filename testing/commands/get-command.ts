import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';
import type { SessionModel } from '../session-model.js';
import { SESSION_IDS, tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** `get` of an id slot: the live session exactly as last written, or nothing. */
export class GetCommand extends StoreCommand {
  constructor(readonly slot: number) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const id = SESSION_IDS[this.slot]!;
    const actual = await store.get(id, model.now);
    const expected = model.live(id);
    const operation = `get(${id}) at ${tickOf(model.now)}`;
    if (expected === undefined) {
      if (actual !== undefined) throw new StoreMismatchError(operation, `expected nothing, got ${show(actual)}`);
      return;
    }
    const difference = sessionDifference(actual, expected);
    if (difference !== undefined) throw new StoreMismatchError(operation, difference);
  }

  toString(): string {
    return `get(#${this.slot})`;
  }
}
