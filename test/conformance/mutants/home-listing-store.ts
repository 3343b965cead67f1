import { homeOf, userHome, webCryptoSha256, type Page, type PageRequest } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `listByUser` reads the user's home and keeps what is not another user's, so an
 * anonymous session that happens to live in that home shows in the user's listing, as a store
 * whose per-home index does not tell anonymous sessions apart would.
 */
export class HomeListingStore extends PlainSessionStore {
  override async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const home = await userHome(userId, webCryptoSha256);
    const held = [...this.sessions.values()].filter(
      (session) => homeOf(session.id) === home && (session.userId === undefined || session.userId === userId),
    );
    return this.page(held, page, now, userId);
  }
}
