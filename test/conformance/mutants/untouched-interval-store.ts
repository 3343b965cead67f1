import type { Session, SessionChange } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: `update` ignores the touch interval, so a refresh within it writes anyway (a new
 * version, a moved deadline and lastActiveAt): the write amplification throttling exists to stop.
 */
export class UntouchedIntervalStore extends DelegatingStore {
  override update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    return this.inner.update(id, { ...change, touchInterval: undefined }, now);
  }
}
