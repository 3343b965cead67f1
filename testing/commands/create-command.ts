import type { JsonObject, SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { newSession, ticks, tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/**
 * `create` of a new session in a slot (free, live or expired): for the slot's user or
 * anonymous, and for a user's slot, with the alias a caller-chosen token brings, or without (an
 * issued token's session has none).
 */
export class CreateCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly withAlias: boolean,
    readonly ttl: number,
    readonly data: JsonObject,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const { handle, owner, alias: possible } = model.universe.slots[this.slot]!;
    const alias = this.withAlias ? possible : undefined;
    const session = newSession(handle, owner, this.data, this.ttl, model.now);
    const allowed = model.createOutcomes(handle, alias);
    const outcome =
      alias === undefined ? await store.create(copyOf(session), model.now) : await store.create(copyOf(session), model.now, { alias });
    if (outcome !== 'created' && outcome !== 'exists' || !allowed.includes(outcome)) {
      const operation = `create(${handle}${alias === undefined ? '' : `, alias ${alias}`}) at ${tickOf(model.now)}`;
      throw new StoreMismatchError(operation, `expected ${allowed.join(' or ')}, got ${String(outcome)}`);
    }
    if (outcome === 'created') model.create(session, alias);
  }

  toString(): string {
    return `create(#${this.slot}${this.withAlias ? ' with its alias' : ''}, ttl ${ticks(this.ttl)}, ${JSON.stringify(this.data)})`;
  }
}

/** A deep copy, so a store that keeps or changes what it was handed cannot change the model. */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
