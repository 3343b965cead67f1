import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server was sent. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

/** A real HTTP server on 127.0.0.1 that answers its n-th request with the n-th step (the last one repeats). */
export interface ScriptedServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/** One answer of the script. */
export type Step = (request: IncomingMessage, response: ServerResponse) => void;

/** Starts a server that plays `steps`, one per request. */
export async function startScriptedServer(steps: readonly Step[]): Promise<ScriptedServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, at: Date.now() });
    const step = steps[Math.min(seen.length, steps.length) - 1];
    request.resume();
    request.on('end', () => step?.(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A 503 problem as the service sends it, with this Retry-After (none when undefined). */
export function unavailable(retryAfter: string | undefined, slug = 'store-unavailable'): Step {
  return (_request, response) => {
    response.writeHead(503, { 'content-type': 'application/problem+json', ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) });
    response.end(JSON.stringify({ type: `urn:session-api:problem:${slug}`, title: 'Store unavailable', status: 503, detail: 'The session store did not answer; try again shortly.' }));
  };
}

/** A JSON answer. */
export function answer(status: number, body: unknown): Step {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

/** Cuts the connection without an answer. */
export const cutOff: Step = (request) => {
  request.socket.destroy();
};
