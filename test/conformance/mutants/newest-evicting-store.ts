import type { CreateOptions, CreateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: a capped create evicts the user's newest sessions (by createdAt, whatever the policy)
 * instead of the ones the core's order names. The count holds; the wrong devices are logged out.
 */
export class NewestEvictingStore extends PlainSessionStore {
  protected override evictions(session: Session, now: number, limit: CreateOptions['limit']): readonly Session[] | 'refused' {
    const right = super.evictions(session, now, limit);
    if (right === 'refused' || right.length === 0 || session.userId === undefined) return right;
    const live = [...(this.byUser.get(session.userId) ?? [])].flatMap((id) => this.live(id, now) ?? []);
    return live.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, right.length);
  }

  override create(session: Session, now: number, options?: CreateOptions): Promise<CreateOutcome> {
    return super.create(session, now, options);
  }
}
