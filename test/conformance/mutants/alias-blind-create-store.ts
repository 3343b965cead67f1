import type { CreateOptions, CreateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `create` checks its handle against sessions only, not against the aliases of live
 * ones: a caller's token already in use with a user is then taken again anonymously, and one
 * token names two sessions.
 */
export class AliasBlindCreateStore extends PlainSessionStore {
  override async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    const target = this.aliases.get(session.id);
    if (target === undefined || this.sessions.has(session.id)) return super.create(session, now, options);
    // Hide the alias from the check, then put it back as it was.
    this.aliases.delete(session.id);
    try {
      return await super.create(session, now, options);
    } finally {
      if (!this.aliases.has(session.id)) this.aliases.set(session.id, target);
    }
  }
}
