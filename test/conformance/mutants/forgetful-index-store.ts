import { isLive, type DeleteOutcome } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `delete` removes the session and its alias but leaves its handle in the user's index,
 * so once the handle holds another user's session, the first user's listing shows it.
 */
export class ForgetfulIndexStore extends PlainSessionStore {
  override async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const current = this.sessions.get(id);
    if (!current) return 'missing';
    if (this.isOtherVersion(current, now, expectedVersion)) return 'conflict';
    this.sessions.delete(id);
    this.removeAlias(id);
    return isLive(current, now) ? 'deleted' : 'missing';
  }
}
