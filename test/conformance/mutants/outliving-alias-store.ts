import { isLive, type DeleteOutcome } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `delete` removes the session and its index entry but forgets its alias, which then
 * outlives it: once the handle holds a new session, the old token resolves to it.
 */
export class OutlivingAliasStore extends PlainSessionStore {
  override async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const current = this.sessions.get(id);
    if (!current) return 'missing';
    if (this.isOtherVersion(current, now, expectedVersion)) return 'conflict';
    this.sessions.delete(id);
    if (current.userId !== undefined) this.byUser.get(current.userId)?.delete(id);
    return isLive(current, now) ? 'deleted' : 'missing';
  }
}
