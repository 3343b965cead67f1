import type { Session, SessionChange } from '../../../core/index.js';
import { EventfulStore } from './eventful-store.js';

/**
 * Mutant: an update that conflicts takes "its" event back off the log, as a store that appends
 * before it checks the version would; but the last event of the session is another write's
 * (the one that won the race, or an earlier one), which is lost.
 */
export class LostOnConflictEventStore extends EventfulStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const outcome = await this.inner.update(id, change, now);
    if (outcome === 'conflict') await this.hideLastOf(id, now);
    return outcome;
  }
}
