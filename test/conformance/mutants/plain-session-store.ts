import {
  applyChange,
  decodePageCursor,
  encodePageCursor,
  evictionsFor,
  type CreateOptions,
  type CreateOutcome,
  fillPage,
  isLive,
  isSessionHandle,
  type DeleteOutcome,
  jsonByteLength,
  type Page,
  type PageRequest,
  type RotateOptions,
  type RotateOutcome,
  type Session,
  type SessionChange,
  type SessionStore,
} from '../../../core/index.js';

/**
 * A correct store written as plainly as possible: a map of sessions, a map of aliases and a
 * user index, held the way a key-value store would hold them. Mutants that need to break the
 * index, the aliases or the counting override one method of it. Expired sessions are kept until
 * deleted or created over, as a store without native expiry would keep them.
 */
export class PlainSessionStore implements SessionStore {
  protected readonly sessions = new Map<string, Session>();
  /** Alias → the handle of the session created with it. */
  protected readonly aliases = new Map<string, string>();
  /** Handle → its alias, so that the alias goes with its session. */
  protected readonly aliasOf = new Map<string, string>();
  protected readonly byUser = new Map<string, Set<string>>();
  /** Alias → the end of its grace (a rotation's old handle); other aliases have none. */
  protected readonly aliasUntil = new Map<string, number>();

  async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    const { alias, limit } = options;
    const names = alias === undefined ? [session.id] : [session.id, alias];
    if (names.some((name) => this.held(name, now) === 'live')) return 'exists';
    const evicted = this.evictions(session, now, limit);
    if (evicted === 'refused') return 'refused';
    for (const gone of evicted) this.remove(gone);
    // What an expired session left at these names goes now, alias and index entry included.
    for (const name of names) {
      for (const handle of [name, this.aliases.get(name)]) {
        const expired = handle === undefined ? undefined : this.sessions.get(handle);
        if (expired !== undefined && !isLive(expired, now)) this.remove(expired);
      }
      this.aliases.delete(name);
    }
    this.put(session);
    if (alias !== undefined) {
      this.aliases.set(alias, session.id);
      this.aliasOf.set(session.id, alias);
      this.aliasUntil.delete(alias);
    }
    return evicted.length === 0 ? 'created' : { evicted: evicted.map((gone) => gone.id) };
  }

  /**
   * What a create of `session` (or a rotation into it from `except`) evicts under `limit`: the
   * core's rule over the user's other live sessions.
   */
  protected evictions(session: Session, now: number, limit: CreateOptions['limit'], except?: string): readonly Session[] | 'refused' {
    if (limit === undefined || session.userId === undefined) return [];
    const live = [...(this.byUser.get(session.userId) ?? [])].flatMap((id) => (id === except ? [] : (this.live(id, now) ?? [])));
    return evictionsFor(live, limit);
  }

  async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    const current = this.live(oldId, now);
    if (!current) return 'missing';
    if (current.version !== next.version - 1) return 'conflict';
    if (this.held(next.id, now) === 'live') return 'exists';
    const evicted = this.evictions(next, now, options.limit, oldId);
    if (evicted === 'refused') return 'refused';
    for (const gone of evicted) this.remove(gone);
    const expired = this.sessions.get(next.id);
    if (expired !== undefined) this.remove(expired);
    this.remove(current);
    this.put(next);
    if (options.graceUntil > now) {
      this.aliases.set(oldId, next.id);
      this.aliasOf.set(next.id, oldId);
      this.aliasUntil.set(oldId, options.graceUntil);
    }
    return { session: copy(next), evicted: evicted.map((gone) => gone.id) };
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const session = this.live(id, now);
    return session && copy(session);
  }

  async resolve(handle: string, now: number): Promise<Session | undefined> {
    const own = this.live(handle, now);
    if (own !== undefined) return copy(own);
    const target = this.aliases.get(handle);
    if (target === undefined || this.aliasOf.get(target) !== handle) return undefined;
    if ((this.aliasUntil.get(handle) ?? Infinity) <= now) return undefined;
    const session = this.live(target, now);
    return session && copy(session);
  }

  async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = this.live(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
    const next = applyChange(current, change, now);
    this.put(next);
    return copy(next);
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

  async deleteByUser(userId: string, now: number, except?: string): Promise<number> {
    let deleted = 0;
    for (const id of [...(this.byUser.get(userId) ?? [])]) {
      const session = this.sessions.get(id);
      if (!session || id === except) continue;
      if (isLive(session, now)) deleted++;
      this.remove(session);
    }
    return deleted;
  }

  async countByUser(userId: string, now: number): Promise<number> {
    return [...(this.byUser.get(userId) ?? [])].filter((id) => this.live(id, now) !== undefined).length;
  }

  async ping(): Promise<void> {}

  /** Whether a name is a session's handle or alias, and whether that session is live. */
  protected held(name: string, now: number): 'live' | 'expired' | undefined {
    const own = this.sessions.get(name);
    if (own !== undefined && isLive(own, now)) return 'live';
    const target = this.sessions.get(this.aliases.get(name) ?? '');
    const aliasLive = target !== undefined && isLive(target, now) && (this.aliasUntil.get(name) ?? Infinity) > now;
    if (aliasLive) return 'live';
    return own !== undefined || target !== undefined ? 'expired' : undefined;
  }

  /** True when a conditional delete must refuse: the session is live at another version. */
  protected isOtherVersion(current: Session, now: number, expectedVersion: number | undefined): boolean {
    return isLive(current, now) && expectedVersion !== undefined && current.version !== expectedVersion;
  }

  protected live(id: string, now: number): Session | undefined {
    const session = this.sessions.get(id);
    return session && isLive(session, now) ? session : undefined;
  }

  /** Live sessions in handle order after the cursor's handle; the cursor's position is the last handle shown. */
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
    if (session.userId === undefined) return;
    let ids = this.byUser.get(session.userId);
    if (!ids) this.byUser.set(session.userId, (ids = new Set()));
    ids.add(session.id);
  }

  /** Removes a session with everything it put in the store: its alias and its index entry. */
  protected remove(session: Session): void {
    this.sessions.delete(session.id);
    this.removeAlias(session.id);
    if (session.userId !== undefined) this.byUser.get(session.userId)?.delete(session.id);
  }

  protected removeAlias(handle: string): void {
    const alias = this.aliasOf.get(handle);
    if (alias === undefined) return;
    this.aliasOf.delete(handle);
    if (this.aliases.get(alias) !== handle) return;
    this.aliases.delete(alias);
    this.aliasUntil.delete(alias);
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

/** The cursor of the listing of `userId` (everyone's when undefined) after `handle`. */
export function encodeCursor(handle: string, userId: string | undefined): string {
  return encodePageCursor(userId, handle);
}

/** The handle a cursor of that listing names; refuses any other cursor. */
export function decodeCursor(cursor: string, userId: string | undefined): string {
  return decodePageCursor(cursor, userId, isSessionHandle);
}
