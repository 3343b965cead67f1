import type { SessionModel } from '../session-model.js';
import { TICK } from '../session-values.js';
import { StoreCommand } from './store-command.js';

/** Moves the suite's clock on; the store only learns of it through the next call's `now`. */
export class AdvanceClockCommand extends StoreCommand {
  constructor(readonly ticks: number) {
    super();
  }

  async run(model: SessionModel): Promise<void> {
    model.now += this.ticks * TICK;
  }

  toString(): string {
    return `advance(${this.ticks})`;
  }
}
