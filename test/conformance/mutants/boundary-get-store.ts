import type { Session } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `get` treats a session as live at `expiresAt == now` (`>=` where `>` belongs). */
export class BoundaryGetStore extends DelegatingStore {
  override get(id: string, now: number): Promise<Session | undefined> {
    return this.inner.get(id, now - 1);
  }
}
