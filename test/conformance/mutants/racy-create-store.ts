import type { Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `create` looks for the id, then writes in a second step (GET, then SET without NX).
 * Right in sequence; racing creates of one id all succeed, each overwriting the one before.
 */
export class RacyCreateStore extends PlainSessionStore {
  override async create(session: Session): Promise<'created' | 'exists'> {
    const taken = this.sessions.has(session.id);
    await Promise.resolve(); // the round trip between the two commands
    if (taken) return 'exists';
    this.put(session);
    return 'created';
  }
}
