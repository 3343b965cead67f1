import type { JsonObject, SessionChange, SessionStore, SessionUpdateCause } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';
import type { SessionModel } from '../session-model.js';
import { showVersion, TICK, ticks, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { copyOf } from './create-command.js';
import { StoreCommand } from './store-command.js';

/**
 * Where the absolute timeout of a change puts the deadline: far away (it caps nothing), or this
 * many milliseconds (at least 1) after now, so that it caps slides and pulls deadlines in.
 */
export type Reach = { readonly far: true } | { readonly after: number };

/** An absolute timeout no test session comes near: a year. */
const FAR = 365 * 24 * 3600 * TICK;

/** The change's `absoluteTimeout` for a session created at `createdAt`. */
export function absoluteTimeoutFor(reach: Reach, createdAt: number, now: number): number {
  return 'far' in reach ? FAR : now + reach.after - createdAt;
}

/**
 * `update` of a slot's session: with new data (a replace) or without (a refresh), sliding or
 * not, with an absolute timeout that caps it or not, with the right or a wrong expected version
 * or with none (the one-call write the store computes itself), with a touch interval or none
 * (a refresh within it of `lastActiveAt` must write nothing). The answer must be exactly what the
 * core's `applyChange` makes of the session the model holds.
 */
export class UpdateCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly version: VersionChoice | undefined,
    readonly data: JsonObject | undefined,
    readonly slide: boolean,
    readonly reach: Reach,
    readonly touchInterval: number | undefined = undefined,
    /** Which write the service says this is (`SessionChange.cause`), for its event; absent means a replace. */
    readonly cause: SessionUpdateCause | undefined = undefined,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const handle = model.universe.slots[this.slot]!.handle;
    const last = model.last(handle);
    const change: SessionChange = {
      ...(this.data === undefined ? {} : { data: this.data }),
      ...(this.cause === undefined ? {} : { cause: this.cause }),
      ...(this.version === undefined ? {} : { expectedVersion: versionFor(this.version, last?.version ?? 1) }),
      slide: this.slide,
      absoluteTimeout: absoluteTimeoutFor(this.reach, last?.createdAt ?? model.now, model.now),
      ...(this.touchInterval === undefined ? {} : { touchInterval: this.touchInterval }),
    };
    const operation = `update(${handle}, ${show(change)}) at ${tickOf(model.now)}`;
    const expected = model.update(handle, change);
    const actual = await store.update(handle, copyOf(change), model.now);
    if (typeof expected === 'string') {
      if (actual !== expected) throw new StoreMismatchError(operation, `expected ${expected}, got ${show(actual)}`);
      return;
    }
    const difference = sessionDifference(actual, expected);
    if (difference !== undefined) throw new StoreMismatchError(operation, difference);
  }

  toString(): string {
    const parts = [
      `#${this.slot}`,
      this.version === undefined ? 'any version' : showVersion(this.version),
      this.data === undefined ? 'no data' : JSON.stringify(this.data),
      this.slide ? 'slide' : 'no slide',
      'far' in this.reach ? 'no cap' : `capped at now+${ticks(this.reach.after)}`,
      ...(this.touchInterval === undefined ? [] : [`touch interval ${ticks(this.touchInterval)}`]),
      ...(this.cause === undefined ? [] : [`cause ${this.cause}`]),
    ];
    return `update(${parts.join(', ')})`;
  }
}
