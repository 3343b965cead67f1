import { applyChange, type Session, type SessionChange } from '../../../core/index.js';
import { copy, PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: a sliding `update` computes its own expiry, `now + ttl * 10`, instead of the core's
 * rule, so sessions outlive the absolute timeout.
 */
export class LongRefreshStore extends PlainSessionStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = this.live(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
    const written = applyChange(current, change, now);
    const next = change.slide ? { ...written, expiresAt: now + current.ttl * 10 } : written;
    this.put(next);
    return copy(next);
  }
}
