import type { RefreshChange, WriteOutcome } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: `refresh` computes its own expiry, `now + ttl * 10`, instead of the one the core
 * decided, so sessions outlive the absolute timeout.
 */
export class LongRefreshStore extends DelegatingStore {
  override async refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome> {
    const current = await this.inner.get(id, now);
    const expiresAt = current === undefined ? change.expiresAt : now + current.ttl * 10;
    return this.inner.refresh(id, { ...change, expiresAt }, now);
  }
}
