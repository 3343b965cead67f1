import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../core/index.js';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
import { createHttpServer } from '../transports/http/index.js';
import { TOKENS } from './tokens.js';

/** A listening service and the way to stop it. */
export interface RunningServer {
  /** The port it listens on (useful when the config asked for port 0). */
  readonly port: number;
  readonly server: Server;
  /**
   * Drains and stops: `/ready` turns 503, new connections are refused after `delayMs`, requests
   * in flight finish (forced after the config's shutdown timeout), then the store is closed.
   */
  close(delayMs?: number): Promise<void>;
}

/** Options of {@link runServer}. */
export interface RunServerOptions {
  readonly clock?: Clock;
}

/** Builds the container, checks the store once, and listens. */
export async function runServer(config: Config, logger: Logger, options: RunServerOptions = {}): Promise<RunningServer> {
  const container = buildContainer(config, logger, options.clock ? { clock: options.clock } : {});
  const app = await container.getAsync(TOKENS.HttpApp);
  const lifecycle = container.get(TOKENS.Lifecycle);
  const service = await container.getAsync(TOKENS.SessionService);
  try {
    await service.ready();
  } catch (error) {
    // Not fatal: the store may come up after us; /ready tells the orchestrator meanwhile.
    logger.warn({ err: error, store: config.store.kind }, 'session store not reachable at start-up');
  }

  const http = createHttpServer(app, { isDraining: () => lifecycle.draining });
  const port = await http.listen(config.port, config.host);
  logger.info({ port, store: config.store.kind }, 'listening');
  if (config.apiTokens.length === 0) logger.warn('API_TOKENS is not set: the /sessions API is open to anyone who can reach it');

  let closing: Promise<void> | undefined;
  const close = (delayMs = 0): Promise<void> =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      logger.info({ delayMs }, 'draining');
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await http.close(config.shutdownTimeoutMs);
      await container.unbindAllAsync();
      logger.info('stopped');
    })());
  return { port, server: http.server, close };
}
