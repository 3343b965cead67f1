import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { finished } from 'node:stream';

/** Resolves once every request received whole on `socket` so far has been answered (or cut off). */
export type OwedResponses = (socket: object) => Promise<void>;

/** The last two responses begun on a connection. */
interface RecentResponses {
  last: ServerResponse | undefined;
  beforeLast: ServerResponse | undefined;
}

/**
 * Keeps, per connection, the responses not yet sent. A request that arrived whole is being
 * carried out (a session may be created), so its client is owed the answer, even when bytes
 * after it on the same connection are garbage: with only the 400 for those, a client takes its
 * request for failed and retries it. Node itself has no such wait: its default `clientError`
 * writes the 400 and destroys the socket.
 *
 * Only the last two responses of a connection are kept, and no listener is added per request:
 * Node sends the responses of one connection in order, so once the last request received whole
 * is answered, every one before it is too. The parser starts a request only after the one before
 * it is whole, so at most the last one is still arriving, and the one before it is then the last
 * received whole.
 */
export function trackOwedResponses(server: Server): OwedResponses {
  const recent = new WeakMap<object, RecentResponses>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const responses = recent.get(req.socket);
    if (responses === undefined) {
      recent.set(req.socket, { last: res, beforeLast: undefined });
      return;
    }
    responses.beforeLast = responses.last;
    responses.last = res;
  });
  return (socket) => {
    const responses = recent.get(socket);
    // A request still missing bytes is the one the error is about: it is answered by the error.
    const owed = [responses?.beforeLast, responses?.last].filter((res): res is ServerResponse => res !== undefined && !res.closed && res.req.complete);
    return Promise.all(owed.map((res) => new Promise<void>((resolve) => finished(res, () => resolve())))).then(() => {});
  };
}
