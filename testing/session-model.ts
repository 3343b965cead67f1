import {
  applyChange,
  evictionsFor,
  updateEventOf,
  type DeleteOutcome,
  type Session,
  type SessionChange,
  type SessionEventReason,
  type SessionLimit,
} from '../core/index.js';
import { EventJournal } from './event-journal.js';
import { START } from './session-values.js';
import type { Universe } from './session-universe.js';

/** A session as the model holds it: the last one written, and the alias it was created with. */
interface Entry {
  readonly session: Session;
  readonly alias: string | undefined;
  /** When the alias stops (a rotation's old handle: the end of its grace); other aliases never do. */
  readonly aliasUntil?: number | undefined;
  /** Which create made it: a session deleted and created again at its handle is another one. */
  readonly incarnation: number;
}

/** Whose sessions a listing holds: everyone's (`undefined`) or one user's. */
export type ListingOf = string | undefined;

/**
 * What the port promises, kept as simply as it can be said: a map from handle to the last
 * session written there (with its alias), and the clock. Live means `expiresAt > now`. An
 * expired entry stays in the map because a store may or may not still hold it (native expiry is
 * late and optional); the only place the difference shows is `create` on that handle or alias,
 * where both answers are allowed. Writes are what the core's `applyChange` says they are.
 * Each change adds the events it records to `events` (checked only against a store with events).
 */
export class SessionModel {
  /** The current time, passed to every port call. */
  now = START;
  /** How many sessions were created in the run: what bounds how long a listing may page. */
  created = 0;
  readonly #entries = new Map<string, Entry>();
  /** Handles and aliases of sessions overwritten once expired: a store may still hold them. */
  readonly #retired = new Set<string>();
  /** The events the changes made so far must have recorded. */
  readonly events: EventJournal = new EventJournal(this);

  constructor(readonly universe: Universe) {}

  /** Every handle a session was ever written at in the run. */
  handles(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** The live session with this handle; aliases are not followed. */
  live(handle: string): Session | undefined {
    const entry = this.#entries.get(handle);
    return entry !== undefined && entry.session.expiresAt > this.now ? entry.session : undefined;
  }

  /** Which create made the session at this handle (0 for none). */
  incarnation(handle: string): number {
    return this.#entries.get(handle)?.incarnation ?? 0;
  }

  /** The last session written at this handle, live or not. */
  last(handle: string): Session | undefined {
    return this.#entries.get(handle)?.session;
  }

  /** The live session with this handle, or the live one this handle is the alias of. */
  resolve(handle: string): Session | undefined {
    const own = this.live(handle);
    if (own !== undefined) return own;
    for (const entry of this.#entries.values()) {
      if (entry.alias === handle && entry.session.expiresAt > this.now && (entry.aliasUntil ?? Infinity) > this.now) return entry.session;
    }
    return undefined;
  }

  /** All live sessions, or one user's (anonymous sessions are in no user's listing). */
  liveSessions(userId: ListingOf): Session[] {
    return [...this.#entries.values()]
      .map((entry) => entry.session)
      .filter((session) => session.expiresAt > this.now && (userId === undefined || session.userId === userId));
  }

  /**
   * The answers `create` may give: `exists` while the handle or the alias names a live session
   * (as its handle or its alias); otherwise `created`, for an expired session's handle or alias
   * is free again (a token is usable once its session is over). Either while a name is only an
   * alias retired by a replaced session: the store may hold it until it reclaims it.
   */
  createOutcomes(handle: string, alias: string | undefined): readonly ('created' | 'exists')[] {
    const names = alias === undefined ? [handle] : [handle, alias];
    if (names.some((name) => this.resolve(name) !== undefined)) return ['exists'];
    return names.some((name) => this.#retired.has(name)) ? ['created', 'exists'] : ['created'];
  }

  /**
   * Records a session the store created. An expired session it replaced at its handle leaves its
   * alias retired (a store may hold it until it reclaims it, but must never follow it to this one).
   */
  create(session: Session, alias: string | undefined): void {
    this.#put(session, alias);
    this.events.expect({ type: 'session.created', time: this.now, sessionId: session.id, userId: session.userId, version: session.version });
  }

  /** Writes a new session at its handle, over an expired one (whose expiry comes first) if any. */
  #put(session: Session, alias: string | undefined): void {
    this.events.overwrite(session.id, this.now);
    const replaced = this.#entries.get(session.id)?.alias;
    if (replaced !== undefined && replaced !== alias) this.#retired.add(replaced);
    this.created++;
    this.#entries.set(session.id, { session, alias, incarnation: this.created });
  }

  /** What `update` must answer, and the session it writes. */
  update(handle: string, change: SessionChange): Session | 'conflict' | 'missing' {
    const current = this.live(handle);
    if (current === undefined) return 'missing';
    if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) return 'conflict';
    const next = applyChange(current, change, this.now);
    this.#entries.set(handle, { ...this.#entries.get(handle)!, session: next });
    const event = next === current ? undefined : updateEventOf(current, next, change);
    if (event !== undefined) {
      const reason = event.type === 'session.updated' ? event.reason : undefined;
      this.events.expect({ type: event.type, time: this.now, sessionId: handle, userId: next.userId, version: next.version, reason });
    }
    return next;
  }

  /**
   * What `rotate` may answer for moving the session at `oldHandle` to `next`: `missing`,
   * `conflict` (not at `next.version - 1`), or what a create of `next.id` may answer, `created`
   * standing for `next` itself.
   */
  rotateOutcomes(oldHandle: string, next: Session): readonly ('missing' | 'conflict' | 'created' | 'exists')[] {
    const current = this.live(oldHandle);
    if (current === undefined) return ['missing'];
    if (current.version !== next.version - 1) return ['conflict'];
    return this.createOutcomes(next.id, undefined);
  }

  /**
   * Which sessions a rotation of `oldHandle` to `next` evicts under `limit` (a login into a capped
   * user's place): the core's `evictionsFor` over the user's other live sessions, the one rotated
   * never among them; none without a limit or a user.
   */
  rotateEvictions(oldHandle: string, next: Session, limit: SessionLimit | undefined): readonly Session[] | 'refused' {
    if (limit === undefined || next.userId === undefined) return [];
    return evictionsFor(this.liveSessions(next.userId).filter((live) => live.id !== oldHandle && live.id !== next.id), limit);
  }

  /**
   * Records a rotation the store made: the old session goes (its alias with it) and `next` is
   * created, with the old handle as its alias until `graceUntil`. A store may hold that alias
   * past its grace (until it reclaims it), so the old handle is retired.
   */
  rotate(oldHandle: string, next: Session, graceUntil: number): void {
    const old = this.#entries.get(oldHandle)!.session;
    this.#entries.delete(oldHandle);
    const grace = graceUntil > this.now;
    this.#put(next, grace ? oldHandle : undefined);
    const time = this.now;
    this.events.expect({ type: 'session.rotated', time, sessionId: next.id, userId: next.userId, version: next.version, previousId: oldHandle });
    this.events.expect({ type: 'session.deleted', time, sessionId: oldHandle, userId: old.userId, version: old.version, reason: 'rotated', graceUntil });
    if (!grace) return;
    this.#entries.set(next.id, { ...this.#entries.get(next.id)!, aliasUntil: graceUntil });
    this.#retired.add(oldHandle);
  }

  /** Deletes a live session and its alias (only at `expectedVersion`, when given): a logout. */
  delete(handle: string, expectedVersion?: number): DeleteOutcome {
    const current = this.live(handle);
    if (current === undefined) return 'missing';
    if (expectedVersion !== undefined && current.version !== expectedVersion) return 'conflict';
    this.#end(current, 'logout');
    return 'deleted';
  }

  /** Ends a live session that a session cap evicted. */
  evict(handle: string): void {
    const current = this.live(handle);
    if (current !== undefined) this.#end(current, 'evicted');
  }

  /** Deletes a user's live sessions but the one with handle `except`, and counts them. */
  deleteByUser(userId: string, except?: string): number {
    const live = this.liveSessions(userId).filter((session) => session.id !== except);
    for (const session of live) this.#end(session, except === undefined ? 'logout-everywhere' : 'logout-others');
    return live.length;
  }

  #end(session: Session, reason: SessionEventReason): void {
    this.#entries.delete(session.id);
    this.events.expect({ type: 'session.deleted', time: this.now, sessionId: session.id, userId: session.userId, version: session.version, reason });
  }
}
