import type { Session, WriteOutcome } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/** Mutant: `replace` writes whatever version the caller named. */
export class VersionBlindReplaceStore extends DelegatingStore {
  override async replace(session: Session, _expectedVersion: number, now: number): Promise<WriteOutcome> {
    const current = await this.inner.get(session.id, now);
    if (!current) return 'missing';
    return this.inner.replace(session, current.version, now);
  }
}
