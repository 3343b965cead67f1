import type fc from 'fast-check';
import type { SessionStore } from '../../core/index.js';
import type { SessionModel } from '../session-model.js';

/** A step of a sequential run: every command applies in every state, so `check` is always true. */
export abstract class StoreCommand implements fc.AsyncCommand<SessionModel, SessionStore> {
  check(): boolean {
    return true;
  }
  abstract run(model: SessionModel, store: SessionStore): Promise<void>;
  abstract toString(): string;
}
