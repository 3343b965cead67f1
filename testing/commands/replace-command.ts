import type { JsonObject, Session, SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { newSession, SESSION_IDS, TICK, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { copyOf } from './create-command.js';
import { StoreCommand } from './store-command.js';

/** `replace` of a slot's session with new data and expiry, naming the right or a wrong version. */
export class ReplaceCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly version: VersionChoice,
    readonly data: JsonObject,
    readonly extension: number,
    /** The user of the session written when the slot was never used. */
    readonly userId: string,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const id = SESSION_IDS[this.slot]!;
    const base = model.sessions.get(id) ?? newSession(id, this.userId, {}, TICK, model.now);
    const expectedVersion = versionFor(this.version, base.version);
    const next: Session = {
      ...base,
      data: this.data,
      updatedAt: model.now,
      expiresAt: model.now + this.extension,
      version: expectedVersion + 1,
    };
    const expected = model.writeOutcome(id, expectedVersion);
    const outcome = await store.replace(copyOf(next), expectedVersion, model.now);
    if (outcome !== expected) {
      throw new StoreMismatchError(
        `replace(${id}, expected version ${expectedVersion}) at ${tickOf(model.now)}`,
        `expected ${expected}, got ${String(outcome)}`,
      );
    }
    if (outcome === 'written') model.put(next);
  }

  toString(): string {
    const version = this.version === 'right' ? 'right version' : `version ${this.version > 0 ? '+' : ''}${this.version}`;
    return `replace(#${this.slot}, ${version}, expires +${this.extension / TICK}, ${JSON.stringify(this.data)})`;
  }
}
