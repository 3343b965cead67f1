import {
  applyChange,
  decodePageCursor,
  encodePageCursor,
  fillPage,
  isLive,
  isSessionHandle,
  jsonByteLength,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type Session,
  type SessionChange,
  type SessionStore,
} from '../../core/index.js';

/**
 * The least store of port v2 the bench smoke test can run on while the real stores are being
 * rewritten: a Map, pages by sorting handles (fine for a few hundred sessions), no aliases kept
 * apart from a second map. It proves the bench drives the port, not how a store should be built.
 */
export class MapSessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #aliases = new Map<string, string>();

  async create(session: Session, _now: number, alias?: string): Promise<'created' | 'exists'> {
    if (this.#sessions.has(session.id) || (alias !== undefined && this.#aliases.has(alias))) return 'exists';
    this.#sessions.set(session.id, session);
    if (alias !== undefined) this.#aliases.set(alias, session.id);
    return 'created';
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const session = this.#sessions.get(id);
    return session && isLive(session, now) ? session : undefined;
  }

  async resolve(handle: string, now: number): Promise<Session | undefined> {
    return (await this.get(handle, now)) ?? this.get(this.#aliases.get(handle) ?? '', now);
  }

  async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = await this.get(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) return 'conflict';
    const written = applyChange(current, change, now);
    this.#sessions.set(id, written);
    return written;
  }

  async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const current = await this.get(id, now);
    if (!current) return 'missing';
    if (expectedVersion !== undefined && expectedVersion !== current.version) return 'conflict';
    this.#sessions.delete(id);
    for (const [alias, target] of this.#aliases) if (target === id) this.#aliases.delete(alias);
    return 'deleted';
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    return this.#page([...this.#sessions.values()], page, now, undefined);
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    return this.#page([...this.#sessions.values()].filter((s) => s.userId === userId), page, now, userId);
  }

  async deleteByUser(userId: string, now: number): Promise<number> {
    let live = 0;
    for (const session of [...this.#sessions.values()]) {
      if (session.userId !== userId) continue;
      if (isLive(session, now)) live++;
      this.#sessions.delete(session.id);
    }
    return live;
  }

  async ping(): Promise<void> {}

  #page(held: readonly Session[], page: PageRequest, now: number, userId: string | undefined): Page {
    const after = page.cursor === undefined ? undefined : decodePageCursor(page.cursor, userId, isSessionHandle);
    const following = held.filter((s) => isLive(s, now) && (after === undefined || s.id > after)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const { taken, more } = fillPage(following, page, (s) => jsonByteLength(s.data));
    const last = taken.at(-1);
    return { sessions: taken, nextCursor: more && last ? encodePageCursor(userId, last.id) : null };
  }
}
