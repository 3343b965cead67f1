import type { CreateOptions, CreateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: a capped create counts the user's sessions and evicts, then writes in a second step (a
 * round trip between), as a cap kept outside the store's one atomic operation would: right in
 * sequence; racing creates all see room and the user ends past the cap.
 */
export class CheckThenCreateCapStore extends PlainSessionStore {
  override async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    const evicted = this.evictions(session, now, options.limit);
    await Promise.resolve(); // the round trip between the count and the write
    if (evicted === 'refused') return 'refused';
    for (const gone of evicted) this.remove(gone);
    const outcome = await super.create(session, now, { alias: options.alias });
    return outcome === 'created' && evicted.length > 0 ? { evicted: evicted.map((gone) => gone.id) } : outcome;
  }
}
