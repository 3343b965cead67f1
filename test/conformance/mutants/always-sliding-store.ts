import type { Session, SessionChange } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `update` slides the deadline even when the change says not to (`slide: false`). */
export class AlwaysSlidingStore extends DelegatingStore {
  override update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    return this.inner.update(id, { ...change, slide: true }, now);
  }
}
