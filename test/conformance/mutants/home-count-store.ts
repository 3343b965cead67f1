import { homeOf, isLive, userHome, webCryptoSha256 } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `countByUser` counts the live sessions of the user's home, as a count of a partition
 * that forgets to filter by owner would: another user sharing the home, and anonymous sessions
 * placed there, are counted too.
 */
export class HomeCountStore extends PlainSessionStore {
  override async countByUser(userId: string, now: number): Promise<number> {
    const home = await userHome(userId, webCryptoSha256);
    return [...this.sessions.values()].filter((session) => homeOf(session.id) === home && isLive(session, now)).length;
  }
}
