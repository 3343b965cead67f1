import { applyChange, type Session, type SessionChange } from '../../../core/index.js';
import { copy, PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `update` writes the session without its context, as an update script that rebuilt
 * the stored header from the fields it knew before the context was added would.
 */
export class ContextDroppingUpdateStore extends PlainSessionStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = this.live(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
    const { context: _dropped, ...next } = applyChange(current, change, now);
    this.put(next);
    return copy(next);
  }
}
