import type { CreateOptions, CreateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `create` looks for the handle and alias, then writes in a second step (GET, then SET
 * without NX). Right in sequence; racing creates all succeed, each overwriting the one before.
 */
export class RacyCreateStore extends PlainSessionStore {
  override async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    const { alias } = options;
    const taken = [session.id, alias].some((name) => name !== undefined && this.held(name, now) !== undefined);
    await Promise.resolve(); // the round trip between the two commands
    if (taken) return 'exists';
    this.put(session);
    if (alias !== undefined) {
      this.aliases.set(alias, session.id);
      this.aliasOf.set(session.id, alias);
    }
    return 'created';
  }
}
