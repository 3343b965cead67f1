import type { Cluster, Redis } from 'ioredis';
import {
  fillPage,
  isLive,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type RefreshChange,
  type Session,
  type SessionStore,
  type WriteOutcome,
} from '../../core/index.js';
import { KeyLayout } from './key-layout.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { sessionScripts, type SessionScriptName } from './session-scripts.js';
import { toStoreError } from './store-unavailable.js';
import { fromFields, STORED_FIELD_NAMES, toFields } from './stored-session.js';

/** Options of the Redis store. Prefix and shard count fix where keys live: change neither on a live data set. */
export interface RedisSessionStoreOptions {
  /** Starts every key (default `session-api:`); must not contain `{` or `}`. */
  readonly keyPrefix?: string;
  /**
   * How many buckets (hash slots in a cluster) sessions are spread over (default 16). Listing
   * and per-user calls visit every bucket, so more buckets spread a cluster's load better and
   * make those calls dearer.
   */
  readonly shards?: number;
  /** How long after its deadline Redis may reclaim a session (default 60 000 ms). */
  readonly expiryGraceMs?: number;
  /** How many expired sessions of a bucket a create or listing reclaims at most (default 16). */
  readonly reclaimBudget?: number;
}

type ScriptReply = string | number | null | ScriptReply[];

/** A session a listing may show, before its data is read. */
interface Candidate {
  readonly id: string;
  readonly dataBytes: number;
}

/** A session read for a page, with the size of its stored data. */
interface Fetched {
  readonly session: Session;
  readonly dataBytes: number;
}

/** The candidates of every bucket (flat lists of id and data size), in byte order of id. */
function candidatesOf(perBucket: unknown[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const reply of perBucket as (string | number)[][]) {
    for (let i = 0; i + 1 < reply.length; i += 2) candidates.push({ id: String(reply[i]), dataBytes: Number(reply[i + 1]) });
  }
  return candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
type ScriptCommands = Record<SessionScriptName, (...args: (string | number)[]) => Promise<ScriptReply>>;

/**
 * The session store over Redis or Redis Cluster (ioredis 6). Each single-session call is one
 * Lua script, so one round trip and atomic; listings fan out to every bucket in parallel, a
 * fixed number of calls whatever the store's size. It is handed its client and never closes it.
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: Redis | Cluster;
  readonly #scripts: ScriptCommands;
  readonly #keys: KeyLayout;
  readonly #graceMs: number;
  readonly #reclaimBudget: number;

  constructor(client: Redis | Cluster, options: RedisSessionStoreOptions = {}) {
    this.#keys = new KeyLayout(options.keyPrefix ?? 'session-api:', options.shards ?? 16);
    this.#graceMs = options.expiryGraceMs ?? 60_000;
    this.#reclaimBudget = options.reclaimBudget ?? 16;
    this.#client = client;
    // defineCommand sends EVALSHA and falls back to EVAL on NOSCRIPT (after a restart or
    // failover). Defining the same script twice on one client is harmless.
    for (const [name, script] of Object.entries(sessionScripts)) client.defineCommand(name, script);
    this.#scripts = client as unknown as ScriptCommands;
  }

  async create(session: Session, now: number): Promise<'created' | 'exists'> {
    const tag = this.#keys.tagOf(session.id);
    const reply = await this.#call(() =>
      this.#scripts.sessionApiCreate(
        this.#keys.session(tag, session.id),
        this.#keys.user(tag, session.userId),
        tag,
        session.id,
        now,
        this.#graceMs,
        this.#reclaimBudget,
        ...toFields(session),
      ),
    );
    return reply === 1 ? 'created' : 'exists';
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const tag = this.#keys.tagOf(id);
    // A plain HMGET, not a script: one command is atomic already, and Lua made a read ~10x
    // dearer inside Redis (bench/, issue 7). An expired session found here is left to the
    // reclaiming of writes and listings and to native expiry; it is never returned.
    const fields = await this.#call(() => this.#client.hmget(this.#keys.session(tag, id), ...STORED_FIELD_NAMES));
    if (fields[0] === null || fields[0] === undefined) return undefined;
    const session = fromFields(id, fields as string[]);
    return isLive(session, now) ? session : undefined;
  }

  async replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome> {
    const tag = this.#keys.tagOf(session.id);
    const reply = await this.#call(() =>
      this.#scripts.sessionApiReplace(
        this.#keys.session(tag, session.id),
        this.#keys.user(tag, session.userId),
        tag,
        session.id,
        now,
        this.#graceMs,
        expectedVersion,
        ...toFields(session),
      ),
    );
    return reply as WriteOutcome;
  }

  async refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome> {
    const tag = this.#keys.tagOf(id);
    const reply = await this.#call(() =>
      this.#scripts.sessionApiRefresh(
        this.#keys.session(tag, id),
        tag,
        id,
        now,
        this.#graceMs,
        change.expectedVersion,
        change.expiresAt,
        change.updatedAt,
      ),
    );
    return reply as WriteOutcome;
  }

  async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const tag = this.#keys.tagOf(id);
    const reply = await this.#call(() =>
      this.#scripts.sessionApiDelete(this.#keys.session(tag, id), tag, id, now, expectedVersion ?? ''),
    );
    return reply as DeleteOutcome;
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    const after = page.cursor === undefined ? '' : decodeCursor(page.cursor, undefined);
    // Each bucket answers with its first limit+1 live ids after the cursor; the first limit+1
    // of their union are then the first limit+1 overall, which tells whether a page follows.
    const perBucket = await this.#call(() =>
      Promise.all(
        this.#keys.tags.map((tag) =>
          this.#scripts.sessionApiPageIds(this.#keys.ids(tag), tag, now, after, page.limit + 1, this.#reclaimBudget),
        ),
      ),
    );
    return this.#page(candidatesOf(perBucket), page, now, undefined);
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, userId);
    const perBucket = await this.#call(() =>
      Promise.all(
        this.#keys.tags.map((tag) => this.#scripts.sessionApiUserIds(this.#keys.user(tag, userId), tag, now)),
      ),
    );
    const candidates = candidatesOf(perBucket).filter(({ id }) => after === undefined || id > after);
    return this.#page(candidates, page, now, userId);
  }

  async deleteByUser(userId: string, now: number): Promise<number> {
    const perBucket = await this.#call(() =>
      Promise.all(
        this.#keys.tags.map((tag) =>
          this.#scripts.sessionApiDeleteUser(this.#keys.user(tag, userId), tag, now, userId),
        ),
      ),
    );
    return (perBucket as number[]).reduce((sum, live) => sum + live, 0);
  }

  async ping(): Promise<void> {
    const client = this.#client;
    await this.#call(async () => {
      // A cluster is ready when every master answers; before it has connected it knows none.
      const masters = client.isCluster ? (client as Cluster).nodes('master') : [];
      await (masters.length > 0 ? Promise.all(masters.map((node) => node.ping())) : client.ping());
    });
  }

  /**
   * Chooses the page among `candidates` (sorted) by count and data size before reading any data,
   * then reads the sessions. Sizes are checked again on what was read, since a session may have
   * grown in between, so a page never passes its byte bound.
   */
  async #page(candidates: readonly Candidate[], page: PageRequest, now: number, userId: string | undefined): Promise<Page> {
    const chosen = fillPage(candidates, page, (candidate) => candidate.dataBytes);
    const fetched = await this.#fetch(
      chosen.taken.map(({ id }) => id),
      now,
    );
    const kept = fillPage(fetched, page, ({ dataBytes }) => dataBytes);
    const more = chosen.more || kept.more;
    // The cursor is the last id chosen (or kept), so one that vanished meanwhile is not read again.
    const last = kept.more ? kept.taken.at(-1)?.session.id : chosen.taken.at(-1)?.id;
    return {
      sessions: kept.taken.map(({ session }) => session),
      nextCursor: more && last !== undefined ? encodeCursor(last, userId) : null,
    };
  }

  /** The live sessions of `ids` and their data sizes, in that order: one script per bucket, all in parallel. */
  async #fetch(ids: readonly string[], now: number): Promise<Fetched[]> {
    const byTag = new Map<string, string[]>();
    for (const id of ids) {
      const tag = this.#keys.tagOf(id);
      byTag.set(tag, [...(byTag.get(tag) ?? []), id]);
    }
    const buckets = [...byTag];
    const replies = await this.#call(() =>
      Promise.all(
        buckets.map(([tag, bucketIds]) => {
          const keys = bucketIds.map((id) => this.#keys.session(tag, id));
          return this.#scripts.sessionApiFetch(keys.length, ...keys, now);
        }),
      ),
    );
    const found = new Map<string, Fetched>();
    buckets.forEach(([, bucketIds], b) => {
      const bucketReplies = replies[b] as (string[] | null)[];
      bucketIds.forEach((id, i) => {
        const fields = bucketReplies[i];
        if (fields) found.set(id, { session: fromFields(id, fields), dataBytes: Buffer.byteLength(fields[1] ?? '', 'utf8') });
      });
    });
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
