import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: `deleteByUser` counts every session it removes, expired ones too. */
export class ExpiredCountStore extends PlainSessionStore {
  override async deleteByUser(userId: string): Promise<number> {
    const ids = [...(this.byUser.get(userId) ?? [])];
    for (const id of ids) {
      const session = this.sessions.get(id);
      if (session) this.remove(session);
    }
    return ids.length;
  }
}
