import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { finished } from 'node:stream';

/** Resolves once every request received whole on `socket` so far has been answered (or cut off). */
export type OwedResponses = (socket: object) => Promise<void>;

/**
 * Keeps, per connection, the responses not yet sent. A request that arrived whole is being
 * carried out (a session may be created), so its client is owed the answer, even when bytes
 * after it on the same connection are garbage: with only the 400 for those, a client takes its
 * request for failed and retries it. Node itself has no such wait: its default `clientError`
 * writes the 400 and destroys the socket.
 */
export function trackOwedResponses(server: Server): OwedResponses {
  const pending = new WeakMap<object, Set<ServerResponse>>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let responses = pending.get(req.socket);
    if (responses === undefined) pending.set(req.socket, (responses = new Set()));
    responses.add(res);
    // 'close' comes once a response is sent or its connection is gone, whichever is first: one
    // listener, where stream.finished() sets up five on every request.
    res.once('close', () => responses.delete(res));
  });
  return (socket) => {
    // A request still missing bytes is the one the error is about: it is answered by the error.
    const owed = [...(pending.get(socket) ?? [])].filter((res) => res.req.complete);
    return Promise.all(owed.map((res) => new Promise<void>((resolve) => finished(res, () => resolve())))).then(() => {});
  };
}
