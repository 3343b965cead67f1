import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import { showVersion, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/**
 * `delete` of a slot's session (and its alias): `deleted` only if it was live. With a version
 * choice the delete is conditional: a live session at another version stays, and the answer is
 * `conflict`.
 */
export class DeleteCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly version?: VersionChoice,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const handle = model.universe.slots[this.slot]!.handle;
    const expectedVersion = this.version === undefined ? undefined : versionFor(this.version, model.last(handle)?.version ?? 1);
    const operation = `delete(${handle}${expectedVersion === undefined ? '' : `, expected version ${expectedVersion}`}) at ${tickOf(model.now)}`;
    const expected = model.delete(handle, expectedVersion);
    const outcome =
      expectedVersion === undefined ? await store.delete(handle, model.now) : await store.delete(handle, model.now, expectedVersion);
    if (outcome !== expected) throw new StoreMismatchError(operation, `expected ${expected}, got ${String(outcome)}`);
  }

  toString(): string {
    return this.version === undefined ? `delete(#${this.slot})` : `delete(#${this.slot}, ${showVersion(this.version)})`;
  }
}
