import { applyChange, type Session, type SessionChange } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: `update` reads, checks the version and computes the write, then writes in a second
 * step, as a store without a conditional write would (GET, compare, SET). Right in sequence;
 * racing writers both win, and racing version-free writers answer the same version twice.
 */
export class LostUpdateStore extends DelegatingStore {
  override async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const current = await this.inner.get(id, now);
    if (!current) return 'missing';
    if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
    const next = applyChange(current, change, now);
    await this.inner.delete(id, now);
    await this.inner.create(next, now);
    return next;
  }
}
