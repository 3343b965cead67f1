import { InvalidInputError } from '../../core/index.js';

/**
 * Where a store's keys live. Sessions are spread over `shards` buckets by a hash of their id;
 * every key of one bucket carries the same hash tag, so Redis Cluster keeps a bucket in one
 * slot and a script may touch all of it, while the buckets spread over the cluster's masters.
 *
 * - `<prefix>{<shard>}:s:<id>`     hash: the session
 * - `<prefix>{<shard>}:ids`        sorted set, all scores 0: the bucket's ids in byte order (listing)
 * - `<prefix>{<shard>}:exp`        sorted set scored by expiresAt: what to reclaim first
 * - `<prefix>{<shard>}:u:<userId>` sorted set scored by expiresAt: one user's sessions here
 */
export class KeyLayout {
  /** The tag each bucket's keys start with, `<prefix>{<shard>}:`. */
  readonly tags: readonly string[];

  constructor(
    readonly prefix: string,
    readonly shards: number,
  ) {
    // A brace in the prefix would become the hash tag and put every session in one slot.
    if (/[{}]/.test(prefix)) throw new InvalidInputError('keyPrefix', 'must not contain { or }');
    if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
      throw new InvalidInputError('shards', 'must be a whole number from 1 to 1024');
    }
    this.tags = Array.from({ length: shards }, (_, shard) => `${prefix}{${shard}}:`);
  }

  /** The tag of the bucket that holds this session id. */
  tagOf(id: string): string {
    return this.tags[fnv1a(id) % this.shards] as string;
  }

  /** The key of a session's hash. */
  session(tag: string, id: string): string {
    return `${tag}s:${id}`;
  }

  /** The key of a bucket's id index. */
  ids(tag: string): string {
    return `${tag}ids`;
  }

  /** The key of a bucket's expiry index. */
  expiry(tag: string): string {
    return `${tag}exp`;
  }

  /** The key of a user's index in a bucket. */
  user(tag: string, userId: string): string {
    return `${tag}u:${userId}`;
  }
}

/** FNV-1a over UTF-16 code units: cheap, stable across processes, and even on random ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
