import type { RotateOptions, RotateOutcome, Session } from '../../../core/index.js';
import { evictionsFor } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: a capped `rotate` counts the session it rotates among the user's others, as if the old
 * and the new one were both to stay: a user at the cap who rotates a session of their own evicts
 * another (or is refused) for nothing.
 */
export class SelfCountingRotateStore extends PlainSessionStore {
  override async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    const { limit } = options;
    const current = this.live(oldId, now);
    if (limit === undefined || next.userId === undefined || current?.userId !== next.userId || current.version !== next.version - 1 || this.held(next.id, now) === 'live') {
      return super.rotate(oldId, next, now, options);
    }
    const live = [...(this.byUser.get(next.userId) ?? [])].flatMap((id) => this.live(id, now) ?? []);
    const evicted = evictionsFor(live, limit);
    if (evicted === 'refused') return 'refused';
    const others = evicted.filter((gone) => gone.id !== oldId);
    for (const gone of others) this.remove(gone);
    const outcome = await super.rotate(oldId, next, now, { graceUntil: options.graceUntil });
    return typeof outcome === 'object' ? { ...outcome, evicted: others.map((gone) => gone.id) } : outcome;
  }
}
