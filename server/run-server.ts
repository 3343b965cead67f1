import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../core/index.js';
import { PROBLEM_MEDIA_TYPE, problemType } from '../transports/http/index.js';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
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

  const handle = app.callback();
  const server = createServer((req, res) => {
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    void handle(req, res);
  });
  server.requestTimeout = 30_000;
  server.on('clientError', (error, socket) => answerClientError(error, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, store: config.store.kind }, 'listening');
  if (config.apiTokens.length === 0) logger.warn('API_TOKENS is not set: the /sessions API is open to anyone who can reach it');

  let closing: Promise<void> | undefined;
  const close = (delayMs = 0): Promise<void> =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      logger.info({ delayMs }, 'draining');
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(force);
      await container.unbindAllAsync();
      logger.info('stopped');
    })());
  return { port, server, close };
}

/** Node answers malformed HTTP with a bare 400; ours is problem+json like every other error. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({
    type: problemType('malformed-request'),
    title: status === 431 ? 'Request header fields too large' : 'Malformed request',
    status,
    detail: 'The request is not valid HTTP/1.1.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: ${PROBLEM_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
