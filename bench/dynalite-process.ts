import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** dynalite ships no types: this is the part the benchmark uses. */
type Dynalite = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

/** A dynalite running in this process. */
export interface DynaliteProcess {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Dummy credentials: dynalite checks that a request is signed, not by whom. */
export const DYNALITE_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' } as const;

/** Starts dynalite in memory on an ephemeral port of 127.0.0.1; tables are ACTIVE at once. */
export async function startDynalite(): Promise<DynaliteProcess> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
