import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProtocolProblems, rejectsMissingHost } from './protocol-problems.js';

/** A plain Node request handler, such as `app.callback()` of a Koa app. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Options of {@link createHttpServer}; all optional. */
export interface HttpServerOptions {
  /** True once the process is shutting down: every response then carries `Connection: close`. */
  readonly isDraining?: () => boolean;
  /** How long a client may take to send a whole request before it is answered 408 (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/** A server that is not listening yet, and the way to stop it without cutting requests off. */
export interface HttpServer {
  readonly server: Server;
  /** Listens on `port` (0 for any free one) and resolves with the port it got. */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Stops listening, closes idle keep-alive connections at once, lets requests in flight finish,
   * and closes whatever is still open after `timeoutMs`.
   */
  close(timeoutMs: number): Promise<void>;
}

/** The default time a client has to send a whole request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The listener of the session API: takes the app (anything with Koa's `callback()`) or a plain
 * handler. The transport owns what happens on the wire before and after the app: requests Node
 * rejects itself are answered with problem+json (see `protocol-problems.ts`), a request may not
 * take forever to arrive, and a drain finishes what is in flight.
 */
export function createHttpServer(app: HttpHandler | { callback(): HttpHandler }, options: HttpServerOptions = {}): HttpServer {
  const handle = typeof app === 'function' ? app : app.callback();
  const isDraining = options.isDraining ?? (() => false);
  // `requireHostHeader: false`: a missing Host is answered by `rejectsMissingHost` as problem+json.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (rejectsMissingHost(req, res)) return;
    // While draining, keep-alive clients are told to reconnect (to another replica).
    if (isDraining()) res.setHeader('Connection', 'close');
    void handle(req, res);
  });
  server.requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  answerProtocolProblems(server);

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: async (timeoutMs) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
      await closed;
      clearTimeout(force);
    },
  };
}
