import { homeBits, homeOf, type SessionEvent } from '../../core/index.js';

/**
 * The event log's items, in the session table beside the sessions (see docs/dynamodb-layout.md,
 * "Events"). Their partitions start with `~`, which is no base64url character, so no home (a
 * handle's first 4 characters) and no user's lease (`<home>~…`) is ever one of them:
 *
 * - partition `~ev<p>` (`p` one hex digit, 0 to `partitions - 1`) holds one counter item `~ev<p>!`
 *   (`next`: the last sequence number handed out) and the events, `~ev<p>#<16-digit sequence>`;
 *   `!` sorts before `#`, so a Query after any event position never reads the counter;
 * - partition `~con` holds one item per consumer, `~con#<name>`.
 *
 * None has `expiresAtMs`, `userId` or `aliasOf`, so no listing, count, `get`, `resolve` or sweep
 * filter takes one for a session; an event has `expiresAtSeconds` (the table's TTL attribute).
 */

/** How many event partitions a store may use: one hex digit names each. */
export const EVENT_PARTITIONS_MAX = 16;

/** The digits of a sequence number in an event's sort key: enough for 10^16 events per partition. */
const SEQUENCE_DIGITS = 16;

/** The longest consumer name (characters): its item's sort key stays within DynamoDB's 1,024 bytes. */
export const CONSUMER_NAME_MAX = 200;

const LOG_ITEM_ID = new RegExp(`^(~ev[0-9a-f](!|#\\d{${SEQUENCE_DIGITS}})|~con#[\\s\\S]{0,${CONSUMER_NAME_MAX}})$`);

/** True for the id of an event-log item (a Scan of the table may stop on one: see page-cursor.ts). */
export function isLogItemId(id: string): boolean {
  return LOG_ITEM_ID.test(id);
}

/** The partition key of event partition `p`. */
export function eventPartition(p: number): string {
  return `~ev${p.toString(16)}`;
}

/** The key of partition `p`'s counter. */
export function counterKey(p: number): { home: string; id: string } {
  return { home: eventPartition(p), id: `${eventPartition(p)}!` };
}

/** The sort key of the event at `sequence` in partition `p` (the Query bound for a position too). */
export function eventItemId(p: number, sequence: number): string {
  return `${eventPartition(p)}#${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** The sequence number an event item's sort key names. */
export function sequenceOf(id: string): number {
  return Number(id.slice(id.indexOf('#') + 1));
}

/** The key of the consumer `name`'s item. */
export function consumerKey(name: string): { home: string; id: string } {
  return { home: '~con', id: `~con#${name}` };
}

/**
 * Which partition records the events of the session at `handle`: from its home, so all of a
 * session's events (and all of a user's) are in one partition, in the order they were recorded.
 * A home is 24 bits of a hash, so the partitions share the sessions evenly.
 */
export function partitionOf(handle: string, partitions: number): number {
  return homeBits(homeOf(handle)) % partitions;
}

/** An event as its item holds it: the event as JSON text, when it was written, and until when it is kept. */
export interface EventItem {
  readonly home: string;
  readonly id: string;
  /** The event without its `id` (the item's key gives it), as JSON text. */
  readonly event: string;
  /** The `now` of the write that recorded it. */
  readonly writtenAtMs: number;
  /** Reads skip it from here on (the retention), whether or not TTL has reaped it. */
  readonly keepUntilMs: number;
  /** DynamoDB's TTL attribute: it only reclaims space. */
  readonly expiresAtSeconds: number;
}

/** An event, without the id its place gives it. */
export type UnnumberedEvent = Omit<SessionEvent, 'id'>;

/** The item of `event` at `sequence` in partition `p`, written at `now` and kept `retentionMs`. */
export function toEventItem(p: number, sequence: number, event: UnnumberedEvent, now: number, retentionMs: number): EventItem {
  const keepUntilMs = now + retentionMs;
  return {
    home: eventPartition(p),
    id: eventItemId(p, sequence),
    event: JSON.stringify(event),
    writtenAtMs: now,
    keepUntilMs,
    expiresAtSeconds: Math.ceil(keepUntilMs / 1000),
  };
}

/** The event an item holds, its id `<p>-<sequence>`: unique within the store. */
export function fromEventItem(p: number, item: Record<string, unknown>): SessionEvent {
  const event = JSON.parse(String(item['event'])) as UnnumberedEvent;
  return { id: `${p}-${sequenceOf(String(item['id']))}`, ...event };
}

/** Records the events (`undefined`: none) of changes made at `now`, in order per partition; a store with no log records nothing. */
export type RecordEvents = (events: readonly (UnnumberedEvent | undefined)[], now: number) => Promise<void>;
