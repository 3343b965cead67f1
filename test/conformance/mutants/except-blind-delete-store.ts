import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: `deleteByUser` ignores `except`, so logging out other devices logs out this one too. */
export class ExceptBlindDeleteStore extends PlainSessionStore {
  override async deleteByUser(userId: string, now: number): Promise<number> {
    return super.deleteByUser(userId, now);
  }
}
