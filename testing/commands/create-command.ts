import { evictedBy, evictionsFor, type JsonObject, type SessionContext, type SessionLimit, type SessionStore } from '../../core/index.js';
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
    readonly context?: SessionContext,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const { handle, owner, alias: possible } = model.universe.slots[this.slot]!;
    const alias = this.withAlias ? possible : undefined;
    const session = newSession(handle, owner, this.data, this.ttl, model.now, this.context);
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
    return `create(#${this.slot}${this.withAlias ? ' with its alias' : ''}, ttl ${ticks(this.ttl)}, ${JSON.stringify(this.data)}${this.context === undefined ? '' : `, context ${JSON.stringify(this.context)}`})`;
  }
}

/** A deep copy, so a store that keeps or changes what it was handed cannot change the model. */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * `create` under a session cap: the store must evict exactly the sessions the core's
 * `evictionsFor` names (in its order) from the owner's other live sessions, or refuse under
 * `reject`; an anonymous session is never capped. The evicted are gone from the model, as from the store.
 */
export class CappedCreateCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly withAlias: boolean,
    readonly ttl: number,
    readonly data: JsonObject,
    readonly limit: SessionLimit,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const { handle, owner, alias: possible } = model.universe.slots[this.slot]!;
    const alias = this.withAlias ? possible : undefined;
    const session = newSession(handle, owner, this.data, this.ttl, model.now);
    const allowed = model.createOutcomes(handle, alias);
    const outcome = await store.create(copyOf(session), model.now, { alias, limit: this.limit });
    const operation = `create(${handle}${alias === undefined ? '' : `, alias ${alias}`}, ${this.limit.policy} max ${this.limit.max}) at ${tickOf(model.now)}`;
    const evictions = owner === undefined ? [] : evictionsFor(model.liveSessions(owner).filter((live) => live.id !== handle), this.limit);
    const evicted = evictedBy(outcome);
    if (outcome === 'exists' && allowed.includes('exists')) return;
    if (!allowed.includes('created')) throw new StoreMismatchError(operation, `expected exists, got ${JSON.stringify(outcome)}`);
    if (evictions === 'refused') {
      if (outcome !== 'refused') throw new StoreMismatchError(operation, `expected refused, got ${JSON.stringify(outcome)}`);
      return;
    }
    const expected = evictions.map((gone) => gone.id);
    if (evicted === undefined || evicted.join() !== expected.join()) {
      throw new StoreMismatchError(operation, `expected created evicting [${expected.join(', ')}], got ${JSON.stringify(outcome)}`);
    }
    for (const id of expected) model.evict(id);
    model.create(session, alias);
  }

  toString(): string {
    return `create(#${this.slot}${this.withAlias ? ' with its alias' : ''}, ttl ${ticks(this.ttl)}, ${JSON.stringify(this.data)}, ${this.limit.policy} max ${this.limit.max})`;
  }
}
