import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { SESSION_IDS, TICK, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** `refresh` of a slot's session to a new expiry, naming the right or a wrong version. */
export class RefreshCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly version: VersionChoice,
    readonly extension: number,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const id = SESSION_IDS[this.slot]!;
    const expectedVersion = versionFor(this.version, model.sessions.get(id)?.version ?? 1);
    const change = { expectedVersion, expiresAt: model.now + this.extension, updatedAt: model.now };
    const expected = model.writeOutcome(id, expectedVersion);
    const outcome = await store.refresh(id, { ...change }, model.now);
    if (outcome !== expected) {
      throw new StoreMismatchError(
        `refresh(${id}, expected version ${expectedVersion}) at ${tickOf(model.now)}`,
        `expected ${expected}, got ${String(outcome)}`,
      );
    }
    const current = model.live(id);
    if (outcome === 'written' && current !== undefined) {
      model.put({ ...current, expiresAt: change.expiresAt, updatedAt: change.updatedAt, version: current.version + 1 });
    }
  }

  toString(): string {
    const version = this.version === 'right' ? 'right version' : `version ${this.version > 0 ? '+' : ''}${this.version}`;
    return `refresh(#${this.slot}, ${version}, expires +${this.extension / TICK})`;
  }
}
