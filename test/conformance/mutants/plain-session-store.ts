import {
  decodePageCursor,
  encodePageCursor,
  fillPage,
  isLive,
  isSessionId,
  type DeleteOutcome,
  jsonByteLength,
  type Page,
  type PageRequest,
  type RefreshChange,
  type Session,
  type SessionStore,
  type WriteOutcome,
} from '../../../core/index.js';

/**
 * A correct store written as plainly as possible: a map of sessions and a user index, held the
 * way a key-value store would hold them. Mutants that need to break the index or the counting
 * override one method of it. Expired sessions are kept until deleted, as a store without native
 * expiry would.
 */
export class PlainSessionStore implements SessionStore {
  protected readonly sessions = new Map<string, Session>();
  protected readonly byUser = new Map<string, Set<string>>();

  async create(session: Session): Promise<'created' | 'exists'> {
    if (this.sessions.has(session.id)) return 'exists';
    this.put(session);
    return 'created';
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const session = this.live(id, now);
    return session && copy(session);
  }

  async replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome> {
    const current = this.live(session.id, now);
    if (!current) return 'missing';
    if (current.version !== expectedVersion) return 'conflict';
    this.put(session);
    return 'written';
  }

  async refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome> {
    const current = this.live(id, now);
    if (!current) return 'missing';
    if (current.version !== change.expectedVersion) return 'conflict';
    this.put({ ...current, expiresAt: change.expiresAt, updatedAt: change.updatedAt, version: current.version + 1 });
    return 'written';
  }

  async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const current = this.sessions.get(id);
    if (!current) return 'missing';
    if (this.isOtherVersion(current, now, expectedVersion)) return 'conflict';
    this.remove(current);
    return isLive(current, now) ? 'deleted' : 'missing';
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    return this.page([...this.sessions.values()], page, now, undefined);
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const held = [...(this.byUser.get(userId) ?? [])].flatMap((id) => this.sessions.get(id) ?? []);
    return this.page(held, page, now, userId);
  }

  async deleteByUser(userId: string, now: number): Promise<number> {
    let deleted = 0;
    for (const id of [...(this.byUser.get(userId) ?? [])]) {
      const session = this.sessions.get(id);
      if (!session) continue;
      if (isLive(session, now)) deleted++;
      this.remove(session);
    }
    return deleted;
  }

  async ping(): Promise<void> {}

  /** True when a conditional delete must refuse: the session is live at another version. */
  protected isOtherVersion(current: Session, now: number, expectedVersion: number | undefined): boolean {
    return isLive(current, now) && expectedVersion !== undefined && current.version !== expectedVersion;
  }

  protected live(id: string, now: number): Session | undefined {
    const session = this.sessions.get(id);
    return session && isLive(session, now) ? session : undefined;
  }

  /** Live sessions in id order after the cursor's id; the cursor's position is the last id shown. */
  protected page(held: readonly Session[], page: PageRequest, now: number, userId: string | undefined): Page {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, userId);
    const following = held
      .filter((session) => isLive(session, now) && (after === undefined || session.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const { taken, more } = fillPage(following, page, dataBytes);
    const last = taken.at(-1);
    return { sessions: taken.map(copy), nextCursor: more && last ? encodeCursor(last.id, userId) : null };
  }

  protected put(session: Session): void {
    this.sessions.set(session.id, copy(session));
    let ids = this.byUser.get(session.userId);
    if (!ids) this.byUser.set(session.userId, (ids = new Set()));
    ids.add(session.id);
  }

  protected remove(session: Session): void {
    this.sessions.delete(session.id);
    this.byUser.get(session.userId)?.delete(session.id);
  }
}

/** A deep copy through JSON, as a store that serialises would make. */
export function copy(session: Session): Session {
  return JSON.parse(JSON.stringify(session)) as Session;
}

/** The bytes a page counts for a session. */
export function dataBytes(session: Session): number {
  return jsonByteLength(session.data);
}

/** The cursor of the listing of `userId` (everyone's when undefined) after `id`. */
export function encodeCursor(id: string, userId: string | undefined): string {
  return encodePageCursor(userId, id);
}

/** The id a cursor of that listing names; refuses any other cursor. */
export function decodeCursor(cursor: string, userId: string | undefined): string {
  return decodePageCursor(cursor, userId, isSessionId);
}
