import type { Session, SessionChange } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `update` ignores the absolute timeout, so sliding writes extend a session forever. */
export class UncappedStore extends DelegatingStore {
  override update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    return this.inner.update(id, { ...change, absoluteTimeout: Number.MAX_SAFE_INTEGER }, now);
  }
}
