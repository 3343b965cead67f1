import type { SessionService } from '../core/index.js';

/** How often start-up asks the store again while it waits. */
const RETRY_MS = 100;

/**
 * Waits up to `timeoutMs` for the store to answer a ping. Resolves with `undefined` once it does,
 * or with the last error when time is up: a store still connecting (Redis connects in the
 * background) is normal at start-up and only worth one line if it lasts.
 */
export async function waitForStore(service: Pick<SessionService, 'ready'>, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`no answer within ${timeoutMs} ms`)), Math.max(left, 0));
    });
    try {
      const outcome = await Promise.race([service.ready().then(() => undefined), timeUp]);
      if (outcome === undefined) return undefined;
      return outcome;
    } catch (error) {
      if (Date.now() + RETRY_MS >= deadline) return error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    } finally {
      clearTimeout(timer);
    }
  }
}
