import { isLive } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: `delete` removes the session but leaves its id in the user's index. */
export class ForgetfulIndexStore extends PlainSessionStore {
  override async delete(id: string, now: number): Promise<boolean> {
    const current = this.sessions.get(id);
    if (!current) return false;
    this.sessions.delete(id);
    return isLive(current, now);
  }
}
