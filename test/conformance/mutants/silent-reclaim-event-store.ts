import type { Session } from '../../../core/index.js';
import { EventfulStore } from './eventful-store.js';

/**
 * Mutant: a read that finds a session past its deadline reclaims it without its
 * `session.expired` (only the sweep reports), so the session's expiry is never recorded at all.
 */
export class SilentReclaimEventStore extends EventfulStore {
  override get(id: string, now: number): Promise<Session | undefined> {
    return this.unrecorded(now, () => this.inner.get(id, now));
  }
}
