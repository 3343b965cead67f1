import type { Session, SessionEvent } from '../core/index.js';
import { show } from './same-session.js';

/** An event as the model expects it: everything but the store's id (and an expiry's `recordedAt`). */
export type ExpectedEvent = Omit<SessionEvent, 'id' | 'recordedAt'>;

/** The fields an event may carry: nothing else (never the token, never `data`). */
const FIELDS = ['id', 'type', 'time', 'recordedAt', 'sessionId', 'userId', 'version', 'reason', 'previousId', 'graceUntil'] as const;
const COMPARED = ['type', 'time', 'sessionId', 'userId', 'version', 'reason', 'previousId', 'graceUntil'] as const;

/** What the journal needs of the model: the session last written at a handle, and which create made it. */
export interface Incarnations {
  last(handle: string): Session | undefined;
  incarnation(handle: string): number;
}

/** The expiry of `session` as a store records it (`recordedAt` apart). */
export function expiryOf(session: Session): ExpectedEvent {
  return { type: 'session.expired', time: session.expiresAt, sessionId: session.id, userId: session.userId, version: session.version };
}

/**
 * The events the model expects, per handle (a store may interleave the events of different
 * sessions in any order, but never reorder one session's). Each change the model makes adds the
 * events it must record, in order, to its handle's queue; the events read from the store are
 * matched against those queues as they come.
 *
 * Expiries are the one thing a model cannot time: a store records a session's `session.expired`
 * when something reclaims it (a sweep, a read, a listing), which may be any time after its
 * deadline. So an expiry may come whenever the handle's queue is empty and the session the model
 * holds there has reached its deadline, once; and it must have come before anything is written
 * at its handle again (a create over an expired session reclaims it), and after a sweep that ran
 * dry.
 */
export class EventJournal {
  readonly #queues = new Map<string, ExpectedEvent[]>();
  /** The incarnations (`handle#n`) whose expiry was read or is queued. */
  readonly #expired = new Set<string>();
  readonly #ids = new Set<string>();
  /** Where the run has read the store's log up to (`undefined`: from its start). */
  cursor: string | undefined;
  /** How many pages the run has read: each reads another page size, so cursors resume mid-way. */
  pages = 0;

  constructor(readonly sessions: Incarnations) {}

  /** Adds an event a change must have recorded. */
  expect(event: ExpectedEvent): void {
    const queue = this.#queues.get(event.sessionId);
    if (queue === undefined) this.#queues.set(event.sessionId, [event]);
    else queue.push(event);
  }

  /**
   * About to write over `handle` at `now` (a create or a rotation into it): the expired session
   * the model still holds there must have recorded its expiry first, since the write reclaims it.
   */
  overwrite(handle: string, now: number): void {
    const session = this.sessions.last(handle);
    if (session === undefined || session.expiresAt > now) return;
    const key = this.#key(handle);
    if (this.#expired.has(key)) return;
    this.#expired.add(key);
    this.expect(expiryOf(session));
  }

  /** Why `actual` (read from the store at `now`) is not the next event the model allows, or `undefined`. */
  match(actual: SessionEvent, now: number): string | undefined {
    const shape = shapeProblem(actual, this.#ids);
    if (shape !== undefined) return shape;
    this.#ids.add(actual.id);
    const handle = actual.sessionId;
    const queue = this.#queues.get(handle) ?? [];
    if (actual.type === 'session.expired') {
      const recordedAt = actual.recordedAt;
      if (typeof recordedAt !== 'number' || recordedAt < actual.time || recordedAt > now) {
        return `${show(actual)}: recordedAt must be when it was reclaimed, at or after its deadline (time) and at most now (${now})`;
      }
    } else if (actual.recordedAt !== undefined) {
      return `${show(actual)}: only a session.expired carries recordedAt`;
    }
    const head = queue[0];
    if (head !== undefined) {
      const difference = eventDifference(actual, head);
      if (difference !== undefined) return `${difference}; the next event expected of ${handle} is ${show(head)} (${queue.length} expected in all)`;
      queue.shift();
      return undefined;
    }
    // Nothing is owed for this handle: only the expiry of the session held there may come.
    const session = this.sessions.last(handle);
    const key = this.#key(handle);
    if (actual.type !== 'session.expired' || session === undefined || this.#expired.has(key) || session.expiresAt > (actual.recordedAt ?? -Infinity)) {
      const why =
        session === undefined
          ? 'no session is held there'
          : this.#expired.has(key)
            ? 'its expiry was recorded already'
            : actual.type === 'session.expired'
              ? `the session is live until ${session.expiresAt}`
              : 'no change made it';
      return `${show(actual)} was recorded, but the model expects no event of ${handle} (${why})`;
    }
    const difference = eventDifference(actual, expiryOf(session));
    if (difference !== undefined) return difference;
    this.#expired.add(key);
    return undefined;
  }

  /** The events expected but not read: a change that happened without its event. */
  missing(): string[] {
    return [...this.#queues.values()].flatMap((queue) => queue.map((event) => show(event)));
  }

  /** The sessions held at `handles` past their deadline at `now` whose expiry has not been read. */
  unexpired(handles: Iterable<string>, now: number): string[] {
    const due: string[] = [];
    for (const handle of new Set(handles)) {
      const session = this.sessions.last(handle);
      if (session !== undefined && session.expiresAt <= now && !this.#expired.has(this.#key(handle))) due.push(show(expiryOf(session)));
    }
    return due;
  }

  #key(handle: string): string {
    return `${handle}#${this.sessions.incarnation(handle)}`;
  }
}

/** What is wrong with an event's shape (id, fields), or `undefined`. */
function shapeProblem(actual: SessionEvent, ids: ReadonlySet<string>): string | undefined {
  if (typeof actual !== 'object' || actual === null) return `not an event: ${show(actual)}`;
  const extra = Object.keys(actual).filter((name) => !(FIELDS as readonly string[]).includes(name));
  if (extra.length > 0) return `${show(actual)} carries fields no event has: ${extra.join(', ')}`;
  if (typeof actual.id !== 'string' || actual.id === '') return `${show(actual)} has no id`;
  if (ids.has(actual.id)) return `${show(actual)} has the id of an event read before`;
  return undefined;
}

/** How `actual` differs from `expected`, or `undefined` (an absent field and an undefined one are the same). */
function eventDifference(actual: SessionEvent, expected: ExpectedEvent): string | undefined {
  const wrong = COMPARED.filter((name) => actual[name] !== expected[name]);
  if (wrong.length === 0) return undefined;
  return `${show(actual)} differs from ${show(expected)} in ${wrong.map((name) => `${name} (expected ${show(expected[name])}, got ${show(actual[name])})`).join(', ')}`;
}
