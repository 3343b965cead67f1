import type { Session, WriteOutcome } from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: `replace` checks the version, then writes in a second step, as a store without a
 * conditional write would (GET, compare, SET). Right in sequence; racing writers both win.
 */
export class LostUpdateStore extends DelegatingStore {
  override async replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome> {
    const current = await this.inner.get(session.id, now);
    if (!current) return 'missing';
    if (current.version !== expectedVersion) return 'conflict';
    await this.inner.delete(session.id, now);
    await this.inner.create(session, now);
    return 'written';
  }
}
