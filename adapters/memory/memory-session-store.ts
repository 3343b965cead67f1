import { createRequire } from 'node:module';
import {
  decodePageCursor,
  encodePageCursor,
  fillPage,
  isLive,
  isSessionId,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type RefreshChange,
  type Session,
  type SessionStore,
  type WriteOutcome,
} from '../../core/index.js';
import { ExpiryQueue } from './expiry-queue.js';

/** A session as kept here: data as JSON text, so no caller can reach in and change it. */
interface StoredSession extends Omit<Session, 'data'> {
  readonly dataJson: string;
}

/** Options of the in-memory store. */
export interface MemorySessionStoreOptions {
  /**
   * How many expired sessions each call may reclaim. Each call adds at most one session, so any
   * budget above one keeps memory bounded by the live sessions without a timer.
   */
  readonly reclaimBudget?: number;
}

// sorted-btree is CommonJS with an ES-style `default` export, which ESM loaders unwrap
// differently (Node gives the module object, Vite the class); require() is the same everywhere.
const BTree = (createRequire(import.meta.url)('sorted-btree') as typeof import('sorted-btree')).default;

// Stale entries of the expiry queue may number this many beyond the sessions held before the
// queue is rebuilt: rebuilding is O(n), so doing it only past twice the size keeps writes O(1).
const STALE_SLACK = 1024;

/**
 * The embedded store, and the reference the networked stores are held against. Every method
 * runs to completion without awaiting, so each is atomic under concurrent async callers.
 * Get is O(1); listing pages through ids in order, so a cursor is just the last id returned.
 */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #ids = new BTree<string, undefined>();
  readonly #byUser = new Map<string, Set<string>>();
  readonly #byExpiry = new ExpiryQueue<StoredSession>();
  readonly #reclaimBudget: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#reclaimBudget = options.reclaimBudget ?? 16;
  }

  /** How many sessions are held, expired ones not yet reclaimed included. */
  get size(): number {
    return this.#sessions.size;
  }

  async create(session: Session, now: number): Promise<'created' | 'exists'> {
    this.#reclaim(now);
    if (this.#sessions.has(session.id)) return 'exists';
    this.#put(toStored(session, session.id));
    return 'created';
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const stored = this.#live(id, now);
    return stored && toSession(stored);
  }

  async replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome> {
    const current = this.#live(session.id, now);
    if (!current) return 'missing';
    if (current.version !== expectedVersion) return 'conflict';
    this.#put(toStored(session, current.id), current);
    return 'written';
  }

  async refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome> {
    const current = this.#live(id, now);
    if (!current) return 'missing';
    if (current.version !== change.expectedVersion) return 'conflict';
    this.#put(
      storedSession(current, current.id, current.dataJson, change.updatedAt, change.expiresAt, current.version + 1),
      current,
    );
    return 'written';
  }

  async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const current = this.#live(id, now);
    if (!current) return 'missing';
    if (expectedVersion !== undefined && current.version !== expectedVersion) return 'conflict';
    this.#remove(current);
    return 'deleted';
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    this.#reclaim(now);
    const after = page.cursor === undefined ? undefined : decodePageCursor(page.cursor, undefined, isSessionId);
    const start = after === undefined ? this.#ids.minKey() : this.#ids.nextHigherKey(after);
    const ids = start === undefined ? [] : this.#ids.keys(start);
    return this.#page(ids, page, now, undefined);
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    this.#reclaim(now);
    const after = page.cursor === undefined ? undefined : decodePageCursor(page.cursor, userId, isSessionId);
    // A user holds few sessions, so sorting them per page costs less than a tree per user.
    const ids = [...(this.#byUser.get(userId) ?? [])].sort();
    return this.#page(
      ids.filter((id) => after === undefined || id > after),
      page,
      now,
      userId,
    );
  }

  async deleteByUser(userId: string, now: number): Promise<number> {
    let deleted = 0;
    for (const id of [...(this.#byUser.get(userId) ?? [])]) {
      const stored = this.#sessions.get(id);
      if (!stored) continue;
      if (isLive(stored, now)) deleted++;
      this.#remove(stored);
    }
    return deleted;
  }

  async ping(): Promise<void> {}

  /** The page of `ids` (in listing order) that `page` asks for; ids are positions, as cursors say. */
  #page(ids: Iterable<string>, page: PageRequest, now: number, userId: string | undefined): Page {
    const { taken, more } = fillPage(this.#liveAmong(ids, now), page, dataBytes);
    const last = taken.at(-1);
    return { sessions: taken.map(toSession), nextCursor: more && last ? encodePageCursor(userId, last.id) : null };
  }

  *#liveAmong(ids: Iterable<string>, now: number): Generator<StoredSession> {
    for (const id of ids) {
      const stored = this.#sessions.get(id);
      if (stored && isLive(stored, now)) yield stored;
    }
  }

  #live(id: string, now: number): StoredSession | undefined {
    const stored = this.#sessions.get(id);
    if (!stored) return undefined;
    if (isLive(stored, now)) return stored;
    this.#remove(stored);
    return undefined;
  }

  #put(next: StoredSession, previous?: StoredSession): void {
    this.#sessions.set(next.id, next);
    this.#byExpiry.push(next);
    this.#dropStaleExpiries();
    if (previous) return;
    this.#ids.set(next.id, undefined);
    let ids = this.#byUser.get(next.userId);
    if (!ids) this.#byUser.set(next.userId, (ids = new Set()));
    ids.add(next.id);
  }

  #remove(stored: StoredSession): void {
    this.#sessions.delete(stored.id);
    this.#ids.delete(stored.id);
    const ids = this.#byUser.get(stored.userId);
    ids?.delete(stored.id);
    if (ids?.size === 0) this.#byUser.delete(stored.userId);
    this.#dropStaleExpiries();
  }

  /** Drops a few of the sessions that expired longest ago. */
  #reclaim(now: number): void {
    for (let budget = this.#reclaimBudget; budget > 0; budget--) {
      const oldest = this.#byExpiry.peek();
      if (!oldest) return;
      // An entry is current only while the map still holds that very object.
      const current = this.#sessions.get(oldest.id) === oldest;
      if (current && isLive(oldest, now)) return;
      this.#byExpiry.pop();
      if (current) this.#remove(oldest);
    }
  }

  #dropStaleExpiries(): void {
    if (this.#byExpiry.length > 2 * this.#sessions.size + STALE_SLACK) this.#byExpiry.rebuild(this.#sessions.values());
  }
}

// Sessions are built field by field, never by spreading: objects made by `...` get shapes that
// make every later read of their fields slower (the old expiry tree's comparator ran 2.5x slower).
function toStored(session: Session, id: string): StoredSession {
  return storedSession(session, id, JSON.stringify(session.data), session.updatedAt, session.expiresAt, session.version);
}

function storedSession(
  session: Omit<Session, 'data'>,
  id: string,
  dataJson: string,
  updatedAt: number,
  expiresAt: number,
  version: number,
): StoredSession {
  return {
    id,
    userId: session.userId,
    dataJson,
    createdAt: session.createdAt,
    updatedAt,
    expiresAt,
    version,
    ttl: session.ttl,
  };
}

function toSession(stored: StoredSession): Session {
  return {
    id: stored.id,
    userId: stored.userId,
    data: JSON.parse(stored.dataJson),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    expiresAt: stored.expiresAt,
    version: stored.version,
    ttl: stored.ttl,
  };
}

/** The bytes a page counts for a session: its data's JSON text in UTF-8. */
function dataBytes(stored: StoredSession): number {
  return Buffer.byteLength(stored.dataJson, 'utf8');
}
