import type { DeleteOutcome } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: `delete` answers deleted for an expired session it still held (Redis `DEL` returns 1). */
export class UndeadDeleteStore extends PlainSessionStore {
  override async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    const current = this.sessions.get(id);
    if (!current) return 'missing';
    if (this.isOtherVersion(current, now, expectedVersion)) return 'conflict';
    this.remove(current);
    return 'deleted';
  }
}
