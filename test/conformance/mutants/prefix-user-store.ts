import type { Page, PageRequest } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `listByUser` lists another user's sessions too, by matching user ids as prefixes, as
 * a key-pattern scan like `user:a*` would.
 */
export class PrefixUserStore extends PlainSessionStore {
  override async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const held = [...this.sessions.values()].filter((session) => session.userId?.startsWith(userId));
    return this.page(held, page, now, userId);
  }
}
