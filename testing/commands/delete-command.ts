import type { SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import type { SessionModel } from '../session-model.js';
import type { Slot } from '../session-universe.js';
import { showVersion, tickOf, versionFor, type VersionChoice } from '../session-values.js';
import { expectSession, nameOf, type ReadVia } from './get-command.js';
import { StoreCommand } from './store-command.js';

/**
 * The alias hint a delete passes (`DeleteOptions.alias`): the alias the deleted slot's token would
 * have (what the core passes), the alias of another live session (the `index`-th of those the
 * model holds), or a name of some slot (its handle, its alias, a handle no session has); no hint
 * when the pick names nothing (a slot without an alias, no other live alias). It is a hint only:
 * the answer, and what every later read finds, are as without it.
 */
export type AliasHint =
  | { readonly pick: 'own' }
  | { readonly pick: 'live-alias'; readonly index: number }
  | { readonly pick: 'name'; readonly slot: number; readonly via: ReadVia };

function hintedName(model: SessionModel, handle: string, ownSlot: Slot, hint: AliasHint): string | undefined {
  if (hint.pick === 'own') return ownSlot.alias;
  if (hint.pick === 'name') return nameOf(model.universe.slots[hint.slot]!, hint.via);
  const live = model.universe.slots.flatMap((slot) =>
    slot.alias !== undefined && slot.handle !== handle && model.resolve(slot.alias)?.id === slot.handle ? [slot.alias] : [],
  );
  return live.length === 0 ? undefined : live[hint.index % live.length];
}

/**
 * `delete` of a slot's session (and its alias): `deleted` only if it was live. With a version
 * choice the delete is conditional: a live session at another version stays, and the answer is
 * `conflict`. With a hint, the store is told an alias the session may have; the model ignores it,
 * so a store that removes the hinted name without checking it is the session's own alias leaves
 * another session unreachable, and a later resolve says so.
 */
export class DeleteCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly version?: VersionChoice,
    readonly hint?: AliasHint,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const own = model.universe.slots[this.slot]!;
    const { handle } = own;
    const expectedVersion = this.version === undefined ? undefined : versionFor(this.version, model.last(handle)?.version ?? 1);
    const alias = this.hint === undefined ? undefined : hintedName(model, handle, own, this.hint);
    const operation =
      `delete(${handle}${expectedVersion === undefined ? '' : `, expected version ${expectedVersion}`}` +
      `${alias === undefined ? '' : `, alias hint ${alias}`}) at ${tickOf(model.now)}`;
    const expected = model.delete(handle, expectedVersion);
    const outcome =
      alias !== undefined
        ? await store.delete(handle, model.now, expectedVersion, { alias })
        : expectedVersion === undefined
          ? await store.delete(handle, model.now)
          : await store.delete(handle, model.now, expectedVersion);
    if (outcome !== expected) throw new StoreMismatchError(operation, `expected ${expected}, got ${String(outcome)}`);
    // The hint changed nothing: the name it gave resolves as it would have without it.
    if (alias !== undefined) expectSession(`resolve(${alias}) after ${operation}`, await store.resolve(alias, model.now), model.resolve(alias));
  }

  toString(): string {
    const version = this.version === undefined ? '' : `, ${showVersion(this.version)}`;
    const { hint: given } = this;
    const hint =
      given === undefined
        ? ''
        : given.pick === 'own'
          ? ', its own alias (when it has one) as hint'
          : given.pick === 'live-alias'
            ? `, live alias ${given.index} (when there is one) as hint`
            : `, ${given.via} of #${given.slot} as hint`;
    return `delete(#${this.slot}${version}${hint})`;
  }
}
