import type { CreateOptions, CreateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `create` refuses a handle that is an alias of an expired session, as if the token were
 * still in use: a caller's token used with a user cannot be used again once that session is over
 * (the Redis store did this before 0.2.0 shipped; the HTTP equivalence property found it).
 */
export class StickyAliasStore extends PlainSessionStore {
  override async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    if (this.aliases.has(session.id) && !this.sessions.has(session.id)) return 'exists';
    return super.create(session, now, options);
  }
}
