import { rotatedSession, rotationGraceEnd, type Session, type SessionLimit, type SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';
import type { SessionModel } from '../session-model.js';
import type { Slot } from '../session-universe.js';
import { newSession, showVersion, ticks, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { copyOf } from './create-command.js';
import { expectSession } from './get-command.js';
import { StoreCommand } from './store-command.js';
import { absoluteTimeoutFor, type Reach } from './update-command.js';

/**
 * `rotate` of a slot's session into another slot, as the core builds it (`rotatedSession`): for
 * a user's session into a slot of the same user (or its own, which is taken), for an anonymous
 * one into any slot (another user's is a login, binding it), with a grace of none, some or more
 * than the session has left, at the right version or a wrong one, and sometimes under a session
 * cap (the store must evict exactly what the core's `evictionsFor` names from the user's other
 * live sessions, or refuse under `reject` and change nothing). Then, at once: the old handle
 * by `get` (gone), by `resolve` (the new session within the grace), the new handle. Later
 * commands read both names as the clock moves past the grace.
 */
export class RotateCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    /** Picks the target among the slots the session may move to. */
    readonly target: number,
    readonly graceMs: number,
    readonly version: VersionChoice,
    readonly slide: boolean,
    readonly reach: Reach,
    readonly limit?: SessionLimit,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const from = model.universe.slots[this.slot]!;
    const last = model.last(from.handle);
    const owner = model.live(from.handle)?.userId ?? from.owner;
    // A session never changes hands (the core refuses): a user's moves within its user's slots.
    const fits = model.universe.slots.filter((slot) => owner === undefined || slot.owner === owner);
    const to: Slot = fits[this.target % fits.length] ?? from;
    const base: Session = last ?? newSession(from.handle, owner, {}, 1000, model.now);
    const built = rotatedSession(
      base,
      to.handle,
      to.owner,
      { slide: this.slide, absoluteTimeout: absoluteTimeoutFor(this.reach, base.createdAt, model.now) },
      model.now,
    );
    const next: Session = { ...built, version: versionFor(this.version, base.version) + 1 };
    const graceUntil = rotationGraceEnd(next, model.now, this.graceMs);
    const cap = this.limit === undefined ? '' : `, ${this.limit.policy} max ${this.limit.max}`;
    const operation = `rotate(${from.handle} to ${to.handle}, version ${next.version - 1}, grace until ${tickOf(graceUntil)}${cap}) at ${tickOf(model.now)}`;
    const allowed = model.rotateOutcomes(from.handle, next);
    const evictions = model.rotateEvictions(from.handle, next, this.limit);
    // Refused by the cap where it would otherwise write: 'refused' instead of the new session.
    const refused = allowed.includes('created') && evictions === 'refused';
    const answers = refused ? [...allowed.filter((answer) => answer !== 'created'), 'refused'] : allowed;
    const options = this.limit === undefined ? { graceUntil } : { graceUntil, limit: this.limit };
    const actual = await store.rotate(from.handle, copyOf(next), model.now, options);
    const expected = evictions === 'refused' ? [] : evictions.map((gone) => gone.id);
    if (typeof actual === 'string') {
      if (!(answers as readonly string[]).includes(actual)) throw new StoreMismatchError(operation, `expected ${answers.join(' or ')}, got ${actual}`);
    } else {
      if (!answers.includes('created')) throw new StoreMismatchError(operation, `expected ${answers.join(' or ')}, got ${show(actual)}`);
      const difference = sessionDifference(actual.session, next);
      if (difference !== undefined) throw new StoreMismatchError(operation, difference);
      if (show(actual.evicted) !== show(expected)) throw new StoreMismatchError(operation, `expected evicted ${show(expected)}, got ${show(actual.evicted)}`);
      for (const id of expected) model.evict(id);
      model.rotate(from.handle, next, graceUntil);
    }
    const at = tickOf(model.now);
    if (typeof actual === 'object') {
      for (const id of actual.evicted) expectSession(`get(${id}) at ${at}, evicted by ${operation}`, await store.get(id, model.now), model.live(id));
    }
    expectSession(`get(${from.handle}) at ${at} after ${operation}`, await store.get(from.handle, model.now), model.live(from.handle));
    expectSession(`resolve(${from.handle}) at ${at} after ${operation}`, await store.resolve(from.handle, model.now), model.resolve(from.handle));
    expectSession(`get(${to.handle}) at ${at} after ${operation}`, await store.get(to.handle, model.now), model.live(to.handle));
  }

  toString(): string {
    const parts = [
      `#${this.slot} to the ${this.target}th slot it fits`,
      `grace ${ticks(this.graceMs)}`,
      showVersion(this.version),
      this.slide ? 'slide' : 'no slide',
      'far' in this.reach ? 'no cap' : `capped at now+${ticks(this.reach.after)}`,
      ...(this.limit === undefined ? [] : [`${this.limit.policy} max ${this.limit.max}`]),
    ];
    return `rotate(${parts.join(', ')})`;
  }
}
