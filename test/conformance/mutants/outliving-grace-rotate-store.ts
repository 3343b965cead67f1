import type { RotateOptions, RotateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: the old handle of a rotation resolves to the new session for its whole life, not only the grace. */
export class OutlivingGraceRotateStore extends PlainSessionStore {
  override async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    return super.rotate(oldId, next, now, options.graceUntil > now ? { graceUntil: next.expiresAt } : options);
  }
}
