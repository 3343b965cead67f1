import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: `delete` answers true for an expired session it still held (Redis `DEL` returns 1). */
export class UndeadDeleteStore extends PlainSessionStore {
  override async delete(id: string): Promise<boolean> {
    const current = this.sessions.get(id);
    if (!current) return false;
    this.remove(current);
    return true;
  }
}
