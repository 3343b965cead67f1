import { startRepeating, type RepeatingTask } from './repeating-task.js';

/** What the sweeper needs: a step, its pace, and where it says how it goes. */
export interface ExpirySweeperOptions {
  /** One step: claims up to `budget` expired sessions, recording a `session.expired` for each; answers how many. */
  readonly sweep: (budget: number) => Promise<number>;
  readonly budget: number;
  /** The wait between two steps that found less than a full budget (ms). */
  readonly intervalMs: number;
  /** Where failures are told: the first of a run of them as a warning, the recovery as info. */
  readonly logger: { warn(fields: object, message: string): void; info(fields: object, message: string): void };
  /** Told after each step, with how many it claimed or the error it failed with. */
  readonly onStep?: ((outcome: { readonly claimed: number } | { readonly failed: unknown }) => void) | undefined;
}

/** A sweeper running in this process: `stop()` resolves once the step in flight has ended. */
export type ExpirySweeper = RepeatingTask;

/**
 * Runs `sweep` every `intervalMs`, and at once again while a step claims its whole budget (a
 * backlog). Every process runs one: the store makes each claim atomic, so they share the work
 * and each expired session is reported once. A failing step (the store away) never ends the
 * loop or the process: it is logged once per run of failures, counted, and tried again.
 */
export function startExpirySweeper(options: ExpirySweeperOptions): ExpirySweeper {
  let failing = false;
  return startRepeating(async () => {
    try {
      const claimed = await options.sweep(options.budget);
      options.onStep?.({ claimed });
      if (failing) options.logger.info({ claimed }, 'expiry sweeps succeed again');
      failing = false;
      return claimed >= options.budget;
    } catch (error) {
      options.onStep?.({ failed: error });
      if (!failing) options.logger.warn({ err: error }, 'expiry sweep failed; retrying every interval (counted in session_expiry_sweeps_total)');
      failing = true;
      return false;
    }
  }, options.intervalMs);
}
