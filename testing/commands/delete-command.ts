import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { SESSION_IDS, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/**
 * `delete` of a slot's session: `deleted` only if it was live. With a version choice the delete
 * is conditional: a live session at another version stays, and the answer is `conflict`.
 */
export class DeleteCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly version?: VersionChoice,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const id = SESSION_IDS[this.slot]!;
    const expectedVersion = this.version === undefined ? undefined : versionFor(this.version, model.sessions.get(id)?.version ?? 1);
    const operation = `delete(${id}${expectedVersion === undefined ? '' : `, expected version ${expectedVersion}`}) at ${tickOf(model.now)}`;
    const expected = model.delete(id, expectedVersion);
    const outcome = await store.delete(id, model.now, expectedVersion);
    if (outcome !== expected) throw new StoreMismatchError(operation, `expected ${expected}, got ${String(outcome)}`);
  }

  toString(): string {
    if (this.version === undefined) return `delete(#${this.slot})`;
    const version = this.version === 'right' ? 'right version' : `version ${this.version > 0 ? '+' : ''}${this.version}`;
    return `delete(#${this.slot}, ${version})`;
  }
}
