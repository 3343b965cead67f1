import type { Session, SessionChange } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `update` writes whatever version the caller named. */
export class VersionBlindUpdateStore extends DelegatingStore {
  override update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const { expectedVersion: _ignored, ...free } = change;
    return this.inner.update(id, free, now);
  }
}
