import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** A TCP forwarder on 127.0.0.1 in front of a server, that can make it unreachable and back. */
export interface TcpGate {
  readonly port: number;
  /** Stops listening and cuts every connection: new ones are refused, as from a host that is gone. */
  shut(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a gate that forwards connections to `targetPort`. Closing a server in place would not
 * do: dynalite, for one, drops its tables when its HTTP server closes, so what "comes back"
 * would be a different database.
 */
export async function startTcpGate(targetPort: number): Promise<TcpGate> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const shut = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return { port, shut, open: () => listen(port), close: shut };
}
