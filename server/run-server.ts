import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../core/index.js';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
import { startEventWork, type EventWork } from './event-work.js';
import { createHttpServer } from '../transports/http/index.js';
import { reportStart } from './start-up-report.js';
import { TOKENS } from './tokens.js';
import { waitForStore } from './wait-for-store.js';

/** A listening service and the way to stop it. */
export interface RunningServer {
  /** The port it listens on (useful when the config asked for port 0). */
  readonly port: number;
  readonly server: Server;
  /**
   * Drains and stops: `/ready` turns 503, new connections are refused after `delayMs`, requests
   * in flight finish (forced after the config's shutdown timeout; long polls of `GET /events`
   * answer at once), the expiry sweeper and webhook deliveries stop, then the store is closed.
   */
  close(delayMs?: number): Promise<void>;
}

/** Options of {@link runServer}. */
export interface RunServerOptions {
  readonly clock?: Clock;
}

/** Builds the container, listens, and waits (up to STORE_STARTUP_WAIT_MS) for the store to answer. */
export async function runServer(config: Config, logger: Logger, options: RunServerOptions = {}): Promise<RunningServer> {
  const container = buildContainer(config, logger, options.clock ? { clock: options.clock } : {});
  const app = await container.getAsync(TOKENS.HttpApp);
  const lifecycle = container.get(TOKENS.Lifecycle);
  const service = await container.getAsync(TOKENS.SessionService);

  const http = createHttpServer(app, { isDraining: () => lifecycle.draining });
  const port = await http.listen(config.port, config.host);
  // Not fatal if the store stays away: it may come up after us, and /ready says so meanwhile.
  reportStart(logger, config, port, await waitForStore(service, config.storeWaitMs));
  if (config.apiTokens.length === 0) logger.warn('API_TOKENS is not set: the /sessions API is open to anyone who can reach it');
  let events: EventWork | undefined;
  if (config.events !== undefined) {
    const store = await container.getAsync(TOKENS.SessionStore);
    // openSessionStore refused a store without a log when events are on.
    if (store.events === undefined) throw new Error('events are on, but the store has no event log');
    events = startEventWork(config.events, {
      service,
      log: store.events,
      clock: container.get(TOKENS.Clock),
      registry: await container.getAsync(TOKENS.MetricsRegistry),
      logger,
    });
  }

  let closing: Promise<void> | undefined;
  const close = (delayMs = 0): Promise<void> =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      logger.info({ delayMs }, 'draining');
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await http.close(config.shutdownTimeoutMs);
      await events?.stop();
      await container.unbindAllAsync();
      logger.info('stopped');
    })());
  return { port, server: http.server, close };
}
