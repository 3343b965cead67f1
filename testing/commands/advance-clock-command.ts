import type { SessionModel } from '../session-model.js';
import { ticks } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** Moves the suite's clock on; the store only learns of it through the next call's `now`. */
export class AdvanceClockCommand extends StoreCommand {
  constructor(readonly duration: number) {
    super();
  }

  async run(model: SessionModel): Promise<void> {
    model.now += this.duration;
  }

  toString(): string {
    return `advance(${ticks(this.duration)})`;
  }
}

/**
 * Moves the clock to the exact deadline of a slot's live session (if it has one), so the next
 * reads happen at `expiresAt == now`, the instant a session stops being live.
 */
export class AdvanceToExpiryCommand extends StoreCommand {
  constructor(readonly slot: number) {
    super();
  }

  async run(model: SessionModel): Promise<void> {
    const session = model.live(model.universe.slots[this.slot]!.handle);
    if (session !== undefined) model.now = session.expiresAt;
  }

  toString(): string {
    return `advanceToExpiryOf(#${this.slot})`;
  }
}
