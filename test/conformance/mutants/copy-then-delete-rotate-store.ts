import type { RotateOptions, RotateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `rotate` checks the old session and writes the new one, then deletes the old one in a
 * second command. Right in sequence; a write of the old session in between is answered as
 * written and then deleted with it: lost.
 */
export class CopyThenDeleteRotateStore extends PlainSessionStore {
  override async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    const current = this.live(oldId, now);
    if (!current) return 'missing';
    if (current.version !== next.version - 1) return 'conflict';
    if (this.held(next.id, now) === 'live') return 'exists';
    this.put(next);
    await Promise.resolve(); // the round trip between the two commands
    const old = this.sessions.get(oldId);
    if (old !== undefined) this.remove(old);
    if (options.graceUntil > now) {
      this.aliases.set(oldId, next.id);
      this.aliasOf.set(next.id, oldId);
      this.aliasUntil.set(oldId, options.graceUntil);
    }
    return { session: next, evicted: [] };
  }
}
