import type { RotateOptions, RotateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/**
 * Mutant: `rotate` ignores the session cap, as a cap kept on creates only would: a login moves
 * the session into a user's place past the cap, evicting nothing and never refused.
 */
export class CapBlindRotateStore extends PlainSessionStore {
  override rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    return super.rotate(oldId, next, now, { graceUntil: options.graceUntil });
  }
}
