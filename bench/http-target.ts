import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionService, type SessionStore } from '../core/index.js';
import { MemorySessionStore } from '../adapters/memory/index.js';
import { createHttpApp } from '../transports/http/index.js';
import { createServer } from 'node:http';
import { bareKoaServer, bareNodeServer } from './bare-servers.js';
import { HTTP_TARGETS, type HttpTargetKind, type TargetReady } from './http-target-kind.js';

// A child process serving one HTTP target on an ephemeral port of 127.0.0.1, apart from the
// load generator. It reports its port over IPC and stops when the parent says so or leaves.

/** A store for the service, and what to release when the child stops. */
interface OpenedStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

async function openStore(kind: 'memory' | 'redis' | 'dynamodb'): Promise<OpenedStore> {
  switch (kind) {
    case 'memory':
      return { store: new MemorySessionStore(), close: async () => {} };
    default:
      throw new Error(`the ${kind} target is not built yet`);
  }
}

async function serve(kind: HttpTargetKind): Promise<{ server: Server; close(): Promise<void> }> {
  if (kind === 'node') return { server: bareNodeServer(), close: async () => {} };
  if (kind === 'koa') return { server: bareKoaServer(), close: async () => {} };
  const opened = await openStore(kind);
  // As the service composes it (server/container.ts), with its default policy and no request log.
  const app = createHttpApp({ service: createSessionService({ store: opened.store }) });
  return { server: createServer(app.callback()), close: () => opened.close() };
}

const kind = process.argv[2] as HttpTargetKind;
if (!(HTTP_TARGETS as readonly string[]).includes(kind)) throw new Error(`unknown target ${kind}`);
const { server, close } = await serve(kind);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
let stopping: Promise<void> | undefined;
const stop = (): Promise<void> =>
  (stopping ??= (async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  })());
// Stops when told, and when the parent goes away without telling (it crashed).
process.on('message', (message) => {
  if (message === 'stop') void stop().finally(() => process.exit(0));
});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));
process.send?.({ port: (server.address() as AddressInfo).port } satisfies TargetReady);
