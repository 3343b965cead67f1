import type { JsonObject, SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { newSession, SESSION_IDS, TICK } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** `create` of a new session in an id slot, which may be free, live or expired. */
export class CreateCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly userId: string,
    readonly ttl: number,
    readonly data: JsonObject,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const id = SESSION_IDS[this.slot]!;
    const session = newSession(id, this.userId, this.data, this.ttl, model.now);
    const allowed = model.createOutcomes(id);
    const outcome = await store.create(copyOf(session), model.now);
    if (!allowed.includes(outcome)) {
      throw new StoreMismatchError(`create(${id})`, `expected ${allowed.join(' or ')}, got ${String(outcome)}`);
    }
    if (outcome === 'created') model.put(session);
  }

  toString(): string {
    return `create(#${this.slot}, user ${JSON.stringify(this.userId)}, ttl ${this.ttl / TICK}, ${JSON.stringify(this.data)})`;
  }
}

/** A deep copy, so a store that keeps or changes what it was handed cannot change the model. */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
