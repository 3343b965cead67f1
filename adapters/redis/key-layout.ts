import { homeBits, homeOf, InvalidInputError } from '../../core/index.js';

/**
 * Where a store's keys live: the one place key names are defined (the scripts are handed them,
 * or build them from `tag` with the functions lua-prelude.ts generates from this file).
 *
 * A session's home (the first 4 base64url characters of its handle, 24 bits) maps to one of
 * `partitions` partitions; every key of a partition carries the hash tag `{<p>}`, so Redis
 * Cluster keeps a partition in one slot. A user's sessions share a home, hence a partition,
 * hence a slot: every per-user operation is one script in one slot. The partition count is
 * fixed per deployment (changing it moves every session).
 *
 * - `<prefix>{<p>}<handle>`  string: the session (see stored-session.ts), or an alias `><handle>`
 * - `<prefix>{<p>}:ids`      sorted set, all scores 0: members `<userId>\0<handle>` in byte order,
 *                            serving both the partition's listing and a user's range (BYLEX)
 * - `<prefix>{<p>}:exp`      sorted set scored by expiresAt, same members: what to reclaim first
 * - `<prefix>{<p>}:events`   stream: the partition's lifecycle events, when the store records them
 *                            (see event-entry.ts), appended by the script that makes the change
 * - `<prefix>{0}:consumer:<name>` hash: an event consumer's lease and saved cursor (partition 0's slot)
 *
 * An alias lives at its own handle's key, so in its own partition: a second command in a cluster.
 */
export class KeyLayout {
  /** Each partition's tag, `<prefix>{<p>}`. */
  readonly tags: readonly string[];

  constructor(
    readonly prefix: string,
    readonly partitions: number,
  ) {
    // A brace in the prefix would become the hash tag and put every session in one slot.
    if (/[{}]/.test(prefix)) throw new InvalidInputError('keyPrefix', 'must not contain { or }');
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 4096) {
      throw new InvalidInputError('partitions', 'must be a whole number from 1 to 4096');
    }
    this.tags = Array.from({ length: partitions }, (_, p) => partitionTag(prefix, p));
  }

  /** The partition of a home: its 24 bits modulo the partition count. */
  partitionOfHome(home: string): number {
    return homeBits(home) % this.partitions;
  }

  /** The tag of the partition that holds this handle. */
  tagOf(handle: string): string {
    return this.tags[this.partitionOfHome(homeOf(handle))] as string;
  }

  /** The key of a session (or alias) by its handle. */
  session(handle: string): string {
    return `${this.tagOf(handle)}${handle}`;
  }

  /** The key of a partition's listing index. */
  ids(tag: string): string {
    return `${tag}${IDS_SUFFIX}`;
  }

  /** The key of a partition's expiry index. */
  expiry(tag: string): string {
    return `${tag}${EXPIRY_SUFFIX}`;
  }

  /** The key of a partition's event stream. */
  events(tag: string): string {
    return `${tag}${EVENTS_SUFFIX}`;
  }

  /** The key of an event consumer's lease and cursor (any name: the first `{…}` of the key is the tag). */
  consumer(name: string): string {
    return `${this.tags[0] as string}${CONSUMER_INFIX}${name}`;
  }
}

/** The tag of partition `p`: `<prefix>{<p>}` (the braces make it the Cluster hash tag). */
export function partitionTag(prefix: string, p: number): string {
  return `${prefix}${TAG_OPEN}${p}${TAG_CLOSE}`;
}

export const TAG_OPEN = '{';
export const TAG_CLOSE = '}';
export const IDS_SUFFIX = ':ids';
export const EXPIRY_SUFFIX = ':exp';
export const EVENTS_SUFFIX = ':events';
const CONSUMER_INFIX = ':consumer:';
/** Separates userId and handle in an index member; userIds hold no control characters. */
export const MEMBER_SEPARATOR = '\0';

/** The index member of a session: `<userId>\0<handle>`, `\0<handle>` when anonymous. */
export function indexMember(userId: string | undefined, handle: string): string {
  return `${userId ?? ''}${MEMBER_SEPARATOR}${handle}`;
}

/** The first member of a user's range, and the first one past it. */
export function userRange(userId: string): { readonly from: string; readonly to: string } {
  return { from: `${userId}${MEMBER_SEPARATOR}`, to: `${userId}\u0001` };
}

