import { applyChange, type Session, type SessionChange } from '../../../core/index.js';
import { copy, PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `update` keeps deadlines in whole seconds (rounded up, so nothing dies early), as a
 * store that writes only a seconds-resolution TTL attribute would.
 */
export class WholeSecondStore extends PlainSessionStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = this.live(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
    const written = applyChange(current, change, now);
    const next = { ...written, expiresAt: Math.ceil(written.expiresAt / 1000) * 1000 };
    this.put(next);
    return copy(next);
  }
}
