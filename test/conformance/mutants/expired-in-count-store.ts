import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `countByUser` counts the user's index entries, expired sessions included, as a count of
 * a per-user set (ZCARD, a Query's Count without the deadline filter) would.
 */
export class ExpiredInCountStore extends PlainSessionStore {
  override async countByUser(userId: string): Promise<number> {
    return [...(this.byUser.get(userId) ?? [])].filter((id) => this.sessions.has(id)).length;
  }
}
