import type { Session, SessionStore } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';
import type { SessionModel } from '../session-model.js';
import type { Slot } from '../session-universe.js';
import { tickOf } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** Which name of a slot a read uses: its handle, its alias, or its digest in a home no session has. */
export type ReadVia = 'handle' | 'alias' | 'stranger';

/** The name a read of `slot` uses (the handle when the slot has no alias). */
export function nameOf(slot: Slot, via: ReadVia): string {
  if (via === 'alias') return slot.alias ?? slot.handle;
  return via === 'stranger' ? slot.stranger : slot.handle;
}

/** Checks a read's answer: exactly the session expected, or nothing. */
export function expectSession(operation: string, actual: unknown, expected: Session | undefined): void {
  if (expected === undefined) {
    if (actual !== undefined) throw new StoreMismatchError(operation, `expected nothing, got ${show(actual)}`);
    return;
  }
  const difference = sessionDifference(actual, expected);
  if (difference !== undefined) throw new StoreMismatchError(operation, difference);
}

/**
 * `get` by a slot's handle (the live session exactly as last written, or nothing) or by its
 * alias, which `get` must not follow: only `resolve` does.
 */
export class GetCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly via: Exclude<ReadVia, 'stranger'> = 'handle',
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const name = nameOf(model.universe.slots[this.slot]!, this.via);
    const actual = await store.get(name, model.now);
    expectSession(`get(${name}) at ${tickOf(model.now)}`, actual, model.live(name));
  }

  toString(): string {
    return `get(#${this.slot}${this.via === 'alias' ? ' by its alias' : ''})`;
  }
}

/**
 * `resolve` by a slot's handle, by its alias (which it follows to the live session it names),
 * or by a handle no session has.
 */
export class ResolveCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly via: ReadVia,
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    const name = nameOf(model.universe.slots[this.slot]!, this.via);
    const actual = await store.resolve(name, model.now);
    expectSession(`resolve(${name}) at ${tickOf(model.now)}`, actual, model.resolve(name));
  }

  toString(): string {
    return `resolve(#${this.slot}${this.via === 'handle' ? '' : ` by its ${this.via === 'alias' ? 'alias' : 'digest in another home'}`})`;
  }
}
