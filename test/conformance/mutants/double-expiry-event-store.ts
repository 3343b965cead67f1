import type { Session } from '../../../core/index.js';
import { EventfulStore } from './eventful-store.js';

/**
 * Mutant: a read that finds a session gone past its deadline records its expiry, without
 * asking whether it was recorded already (as a store that keeps expired entries until a sweep
 * and reports on every read would): a second `session.expired` of one session.
 */
export class DoubleExpiryEventStore extends EventfulStore {
  override async get(id: string, now: number): Promise<Session | undefined> {
    const found = await this.inner.get(id, now);
    const last = found === undefined ? await this.lastOf(id, now) : undefined;
    if (last?.type === 'session.expired') {
      const { id: _id, ...again } = last;
      this.record({ ...again, recordedAt: now }, now);
    }
    return found;
  }
}
