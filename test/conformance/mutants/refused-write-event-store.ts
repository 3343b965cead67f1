import type { Session, SessionChange } from '../../../core/index.js';
import { EventfulStore } from './eventful-store.js';

/** Mutant: an update refused for its version records the `session.updated` it would have made. */
export class RefusedWriteEventStore extends EventfulStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const outcome = await this.inner.update(id, change, now);
    const current = outcome === 'conflict' ? await this.inner.get(id, now) : undefined;
    if (current !== undefined && change.data !== undefined) {
      const { userId, version } = current;
      this.record({ type: 'session.updated', time: now, sessionId: id, userId, version: version + 1, reason: change.cause ?? 'replace' }, now);
    }
    return outcome;
  }
}
