import {
  decodeEventCursor,
  encodeEventCursor,
  EVENT_RETENTION_DEFAULT_MS,
  type EventLogOptions,
  type EventPage,
  type SessionEvent,
  type SessionEventLog,
} from '../../core/index.js';

/** An event as the store hands it over: everything but the id, which the log gives it. */
export type RecordedEvent = Omit<SessionEvent, 'id'>;

/** Who delivers to a consumer until when, and how far it got. */
interface Consumer {
  owner: string;
  until: number;
  cursor: string | undefined;
}

// Dropped entries are cut off the front of the array only once this many have gathered (and they
// are most of it), so that dropping stays O(1) per event on average.
const COMPACT_AT = 1024;

/**
 * The memory store's event log: an in-process append-only list, each event numbered by the
 * store's own sequence (its id, and a cursor's one position). The store appends in the same
 * synchronous step as the change, so no reader ever sees one without the other. Events older than
 * the retention are dropped as the log is read or appended to; a cursor from before them reads on
 * from the oldest kept.
 */
export class MemoryEventLog implements SessionEventLog {
  /** Kept events (from `#head` on), in sequence order: event `i` has sequence `#first + i - #head`. */
  #entries: SessionEvent[] = [];
  /** When each entry was recorded, for the retention. */
  #recordedAt: number[] = [];
  #head = 0;
  /** The sequence number of `#entries[#head]` (or of the next event, when none is kept). */
  #first = 1;
  readonly #retentionMs: number;
  readonly #consumers = new Map<string, Consumer>();
  readonly #claimExpired: (now: number, budget: number) => number;

  /**
   * `claimExpired` is the store's claim of expired sessions from its own expiry queue (recording
   * each one's `session.expired` here); it answers how many it claimed.
   */
  constructor(options: EventLogOptions, claimExpired: (now: number, budget: number) => number) {
    this.#claimExpired = claimExpired;
    this.#retentionMs = options.retentionMs ?? EVENT_RETENTION_DEFAULT_MS;
    if (!(this.#retentionMs > 0)) throw new RangeError(`retentionMs must be positive, got ${this.#retentionMs}`);
  }

  /** The sequence number of the last event recorded (0 before the first). */
  get #last(): number {
    return this.#first + this.#entries.length - this.#head - 1;
  }

  /** Appends an event recorded at `now`; the caller does it in the same step as the change. */
  record(event: RecordedEvent, now: number): void {
    this.#drop(now);
    const id = String(this.#last + 1);
    this.#entries.push(withId(id, event));
    this.#recordedAt.push(now);
  }

  async read(after: string | undefined, limit: number, now: number): Promise<EventPage> {
    const from = after === undefined ? 0 : this.#positionOf(after);
    this.#drop(now);
    const start = Math.max(from + 1, this.#first);
    const index = this.#head + (start - this.#first);
    const events = this.#entries.slice(index, index + Math.max(0, limit));
    const last = events.length === 0 ? start - 1 : start + events.length - 1;
    return { events, cursor: cursorAt(last) };
  }

  async tail(now: number): Promise<string> {
    this.#drop(now);
    return cursorAt(this.#last);
  }

  async sweepExpired(now: number, budget: number): Promise<number> {
    return this.#claimExpired(now, budget);
  }

  async claimConsumer(name: string, owner: string, now: number, leaseMs: number): Promise<{ readonly cursor: string | undefined } | 'taken'> {
    const held = this.#consumers.get(name);
    if (held !== undefined && held.owner !== owner && held.until > now) return 'taken';
    const cursor = held?.cursor;
    this.#consumers.set(name, { owner, until: now + leaseMs, cursor });
    return { cursor };
  }

  async saveConsumer(name: string, owner: string, cursor: string, now: number, leaseMs: number): Promise<boolean> {
    this.#positionOf(cursor);
    const held = this.#consumers.get(name);
    if (held === undefined || held.owner !== owner || held.until <= now) return false;
    this.#consumers.set(name, { owner, until: now + leaseMs, cursor });
    return true;
  }

  /** The sequence number a cursor of this log names; refuses any cursor it did not issue. */
  #positionOf(cursor: string): number {
    const [position] = decodeEventCursor(cursor, (positions) => positions.length === 1 && isSequence(positions[0]!, this.#last));
    return Number(position);
  }

  /** Drops the events recorded more than the retention before `now`. */
  #drop(now: number): void {
    const oldest = now - this.#retentionMs;
    while (this.#head < this.#entries.length && (this.#recordedAt[this.#head] as number) < oldest) {
      this.#head++;
      this.#first++;
    }
    if (this.#head >= COMPACT_AT && 2 * this.#head >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#recordedAt = this.#recordedAt.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** The cursor that reads on after the event with sequence number `position`. */
function cursorAt(position: number): string {
  return encodeEventCursor([String(position)]);
}

/** A sequence number as `cursorAt` writes one: decimal, no leading zero, at most the last issued. */
function isSequence(position: string, last: number): boolean {
  return /^(0|[1-9][0-9]{0,15})$/.test(position) && Number(position) <= last;
}

// Built field by field, never spread, and without absent fields, so that events read the same
// whatever a store left undefined.
function withId(id: string, event: RecordedEvent): SessionEvent {
  const built: Record<string, unknown> = { id, type: event.type, time: event.time };
  if (event.recordedAt !== undefined) built.recordedAt = event.recordedAt;
  built.sessionId = event.sessionId;
  if (event.userId !== undefined) built.userId = event.userId;
  built.version = event.version;
  if (event.reason !== undefined) built.reason = event.reason;
  if (event.previousId !== undefined) built.previousId = event.previousId;
  if (event.graceUntil !== undefined) built.graceUntil = event.graceUntil;
  return Object.freeze(built) as unknown as SessionEvent;
}
