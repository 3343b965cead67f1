import type { DeleteOutcome } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `delete` removes the live session whatever version the caller named. */
export class VersionBlindDeleteStore extends DelegatingStore {
  override delete(id: string, now: number): Promise<DeleteOutcome> {
    return this.inner.delete(id, now);
  }
}
