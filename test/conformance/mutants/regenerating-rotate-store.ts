import type { RotateOptions, RotateOutcome, Session } from '../../../core/index.js';
import { PlainSessionStore } from './plain-session-store.js';

/** Mutant: `rotate` writes the new session with empty data (express-session's regenerate, #425). */
export class DataDroppingRotateStore extends PlainSessionStore {
  override async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    return super.rotate(oldId, { ...next, data: {} }, now, options);
  }
}

/** Mutant: `rotate` writes the new session at version 1, as a create would. */
export class VersionResettingRotateStore extends PlainSessionStore {
  override async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    return super.rotate(oldId, { ...next, version: 1 }, now, options);
  }
}
