import type { RotateOptions, RotateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: a capped `rotate` counts the user's sessions and evicts, then rotates in a second step
 * (a round trip between), as a login that checked the cap outside the store's atomic operation
 * would: right in sequence; racing logins and creates all see room and the user ends past the cap.
 */
export class CheckThenRotateCapStore extends PlainSessionStore {
  override async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    const current = this.live(oldId, now);
    if (!current || current.version !== next.version - 1 || this.held(next.id, now) === 'live') return super.rotate(oldId, next, now, options);
    const evicted = this.evictions(next, now, options.limit, oldId);
    await Promise.resolve(); // the round trip between the count and the rotation
    if (evicted === 'refused') return 'refused';
    for (const gone of evicted) this.remove(gone);
    const outcome = await super.rotate(oldId, next, now, { graceUntil: options.graceUntil });
    return typeof outcome === 'object' ? { ...outcome, evicted: evicted.map((gone) => gone.id) } : outcome;
  }
}
