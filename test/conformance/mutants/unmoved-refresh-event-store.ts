import type { Session, SessionChange } from '../../../core/index.js';
import { EventfulStore } from './eventful-store.js';

/** Mutant: every refresh that writes records a `session.refreshed`, whether it moved `expiresAt` or not. */
export class UnmovedRefreshEventStore extends EventfulStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const before = await this.inner.get(id, now);
    const outcome = await this.inner.update(id, change, now);
    const wrote = typeof outcome === 'object' && before !== undefined && outcome.version !== before.version;
    if (wrote && change.data === undefined && outcome.expiresAt === before.expiresAt) {
      this.record({ type: 'session.refreshed', time: now, sessionId: id, userId: outcome.userId, version: outcome.version }, now);
    }
    return outcome;
  }
}
