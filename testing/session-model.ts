import type { DeleteOutcome, Session, WriteOutcome } from '../core/index.js';
import { START } from './session-values.js';

/**
 * What the port promises, kept as simply as it can be said: a map from id to the last session
 * written, and the clock. Live means `expiresAt > now`. An expired entry stays in the map
 * because a store may or may not still hold it (native expiry is late and optional); the only
 * place the difference shows is `create` on that id, where both answers are allowed.
 */
export class SessionModel {
  /** The current time, passed to every port call. */
  now = START;
  /** Every session written and not deleted while live. */
  readonly sessions = new Map<string, Session>();

  /** The live session with this id. */
  live(id: string): Session | undefined {
    const session = this.sessions.get(id);
    return session !== undefined && session.expiresAt > this.now ? session : undefined;
  }

  /** All live sessions, or one user's. */
  liveSessions(userId?: string): Session[] {
    return [...this.sessions.values()].filter(
      (session) => session.expiresAt > this.now && (userId === undefined || session.userId === userId),
    );
  }

  /** The answers `create` may give for this id: an expired id may or may not be free again. */
  createOutcomes(id: string): readonly ('created' | 'exists')[] {
    if (!this.sessions.has(id)) return ['created'];
    return this.live(id) === undefined ? ['created', 'exists'] : ['exists'];
  }

  /** What a conditional write on `id` at `expectedVersion` must answer. */
  writeOutcome(id: string, expectedVersion: number): WriteOutcome {
    const current = this.live(id);
    if (current === undefined) return 'missing';
    return current.version === expectedVersion ? 'written' : 'conflict';
  }

  /** Records a session the store has written. */
  put(session: Session): void {
    this.sessions.set(session.id, session);
  }

  /** Deletes a live session (only at `expectedVersion`, when given) and says what it did. */
  delete(id: string, expectedVersion?: number): DeleteOutcome {
    const current = this.live(id);
    if (current === undefined) return 'missing';
    if (expectedVersion !== undefined && current.version !== expectedVersion) return 'conflict';
    this.sessions.delete(id);
    return 'deleted';
  }

  /** Deletes a user's live sessions and counts them. */
  deleteByUser(userId: string): number {
    const live = this.liveSessions(userId);
    for (const session of live) this.sessions.delete(session.id);
    return live.length;
  }
}
