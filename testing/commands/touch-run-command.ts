import type { JsonObject, SessionStore } from '../../core/index.js';
import type { SessionModel } from '../session-model.js';
import { ticks } from '../session-values.js';
import { StoreCommand } from './store-command.js';
import { UpdateCommand } from './update-command.js';

/** One write of a touch run: after `wait` ms, a refresh (no data) or a replace. */
export interface TouchStep {
  readonly wait: number;
  readonly data: JsonObject | undefined;
}

/**
 * Refreshes and replaces of one slot's session in quick succession, all with one touch
 * interval, so that refreshes land within and after the interval of the last refresh that
 * wrote, with replaces in between: where a store that throttles from `updatedAt` or
 * `createdAt` instead of `lastActiveAt`, or writes anyway, answers otherwise than `applyChange`.
 */
export class TouchRunCommand extends StoreCommand {
  constructor(
    readonly slot: number,
    readonly touchInterval: number,
    readonly steps: readonly TouchStep[],
  ) {
    super();
  }

  async run(model: SessionModel, store: SessionStore): Promise<void> {
    for (const step of this.steps) {
      model.now += step.wait;
      await new UpdateCommand(this.slot, undefined, step.data, true, { far: true }, this.touchInterval).run(model, store);
    }
  }

  toString(): string {
    const steps = this.steps.map((step) => `${step.data === undefined ? 'refresh' : `replace ${JSON.stringify(step.data)}`} after ${ticks(step.wait)}`);
    return `touchRun(#${this.slot}, interval ${ticks(this.touchInterval)}: ${steps.join(', ')})`;
  }
}
