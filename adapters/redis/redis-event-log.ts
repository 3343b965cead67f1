import type { Cluster, Redis } from 'ioredis';
import { decodeEventCursor, encodeEventCursor, type EventPage, type SessionEvent, type SessionEventLog } from '../../core/index.js';
import { decodeEventEntry } from './event-entry.js';
import type { EventScriptName } from './event-scripts.js';
import type { KeyLayout } from './key-layout.js';
import { toStoreError } from './store-unavailable.js';

type Reply = string | number | null | Reply[];

/** The event log's scripts, as the store defined them on its client. */
export type EventScriptCalls = Record<EventScriptName, (...args: (string | number)[]) => Promise<Reply>>;

/** A stream id `<ms>-<seq>`, as Redis writes them (no leading zeros). */
const STREAM_ID = /^(0|[1-9][0-9]{0,15})-(0|[1-9][0-9]{0,19})$/;
/** Before every entry: reading after it reads a stream from its start. */
const START = '0-0';

/** Orders stream ids (`<ms>-<seq>`, both without leading zeros). */
function compareStreamIds(a: string, b: string): number {
  const [am = '', as = ''] = a.split('-');
  const [bm = '', bs = ''] = b.split('-');
  return am.length - bm.length || (am < bm ? -1 : am > bm ? 1 : 0) || as.length - bs.length || (as < bs ? -1 : as > bs ? 1 : 0);
}

/**
 * The Redis store's event log (`RedisSessionStore.events`): one stream per partition (see
 * event-entry.ts), merged when read. A cursor is one stream id per partition (the last entry read
 * there), so no event is skipped whatever order the partitions' entries arrive in. Reading merges
 * the entries after each position by their id (the core's time of the change), partition number
 * breaking ties. A session's events are all in its partition's stream, in order (a rotation's
 * `session.rotated` in the new handle's), so the merge keeps each session's order.
 */
export class RedisEventLog implements SessionEventLog {
  readonly #client: Redis | Cluster;
  readonly #keys: KeyLayout;
  readonly #scripts: EventScriptCalls;
  readonly #dropAliases: (aliases: readonly string[]) => Promise<void>;
  readonly #batch: number;

  /** `batch`: how many expired sessions one sweep script claims at most (the store's `deleteBatch`). */
  constructor(
    client: Redis | Cluster,
    keys: KeyLayout,
    scripts: EventScriptCalls,
    dropAliases: (aliases: readonly string[]) => Promise<void>,
    batch: number,
  ) {
    this.#client = client;
    this.#keys = keys;
    this.#scripts = scripts;
    this.#dropAliases = dropAliases;
    this.#batch = batch;
  }

  async read(after: string | undefined, limit: number, _now: number): Promise<EventPage> {
    const positions = after === undefined ? this.#keys.tags.map(() => START) : [...this.#decode(after)];
    // Each partition's next `limit` entries: the merge takes at most `limit` in all.
    const parts = await this.#call(() =>
      Promise.all(this.#keys.tags.map((tag, p) => this.#client.xrange(this.#keys.events(tag), `(${positions[p] as string}`, '+', 'COUNT', limit))),
    );
    const merged = parts
      .flatMap((entries, partition) => entries.map(([id, fields]) => ({ partition, id, fields })))
      .sort((a, b) => compareStreamIds(a.id, b.id) || a.partition - b.partition)
      .slice(0, limit);
    const events: SessionEvent[] = [];
    for (const entry of merged) {
      events.push(decodeEventEntry(entry.partition, entry.id, entry.fields));
      positions[entry.partition] = entry.id;
    }
    return { events, cursor: encodeEventCursor(positions) };
  }

  async tail(_now: number): Promise<string> {
    const last = await this.#call(() => Promise.all(this.#keys.tags.map((tag) => this.#client.xrevrange(this.#keys.events(tag), '+', '-', 'COUNT', 1))));
    return encodeEventCursor(last.map((entries) => entries[0]?.[0] ?? START));
  }

  async sweepExpired(now: number, budget: number): Promise<number> {
    let claimed = 0;
    // Partition after partition, in scripts of at most `batch` expired sessions each (a sweep of
    // 1,000 in one script blocked Redis for 38 ms), until the budget is claimed. A partition is
    // done when a script found no more due. A script that claimed none found live sessions due by
    // their old score only (the lazy index) and scored them again by their deadline, out of the
    // range: asking again meets the next ones.
    for (const tag of this.#keys.tags) {
      for (;;) {
        if (claimed >= budget) return claimed;
        const asked = Math.min(this.#batch, budget - claimed);
        const [count, aliases, exhausted] = (await this.#call(() => this.#scripts.sessionApiSweep(this.#keys.expiry(tag), tag, now, asked))) as [
          number,
          string[],
          number,
        ];
        await this.#call(() => this.#dropAliases(aliases));
        claimed += count;
        if (exhausted === 1) break;
      }
    }
    return claimed;
  }

  async claimConsumer(name: string, owner: string, now: number, leaseMs: number): Promise<{ readonly cursor: string | undefined } | 'taken'> {
    const [held, cursor] = (await this.#call(() => this.#scripts.sessionApiClaimConsumer(this.#keys.consumer(name), owner, now, leaseMs))) as [
      number,
      string?,
    ];
    if (held !== 1) return 'taken';
    return { cursor: cursor === undefined || cursor === '' ? undefined : cursor };
  }

  async saveConsumer(name: string, owner: string, cursor: string, now: number, leaseMs: number): Promise<boolean> {
    this.#decode(cursor); // only a cursor of this log is kept, to be read after
    const saved = await this.#call(() => this.#scripts.sessionApiSaveConsumer(this.#keys.consumer(name), owner, cursor, now, leaseMs));
    return saved === 1;
  }

  #decode(cursor: string): readonly string[] {
    return decodeEventCursor(cursor, (positions) => positions.length === this.#keys.partitions && positions.every((id) => STREAM_ID.test(id)));
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
