import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionService, type SessionStore } from '../core/index.js';
import { MemorySessionStore } from '../adapters/memory/index.js';
import { createHttpApp } from '../transports/http/index.js';
import { createServer } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { RedisSessionStore } from '../adapters/redis/index.js';
import { instrumentStore } from '../server/instrumented-store.js';
import { createLogger } from '../server/logger.js';
import { createRedisClient } from '../server/redis-client.js';
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
    case 'redis': {
      const client = createRedisClient({ url: required('BENCH_REDIS_URL') });
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
      return { store: new RedisSessionStore(client), close: async () => void (await client.quit()) };
    }
    default:
      throw new Error(`the ${kind} target is not built yet`);
  }
}

async function serve(kind: HttpTargetKind): Promise<{ server: Server; close(): Promise<void> }> {
  if (kind === 'node') return { server: bareNodeServer(), close: async () => {} };
  if (kind === 'koa') return { server: bareKoaServer(), close: async () => {} };
  const opened = await openStore(kind);
  // As the service's composition root (server/container.ts) wires it: store and requests
  // measured into a Prometheus registry, default policy. The request log is off (level silent),
  // as the bare servers have none.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const service = createSessionService({ store: instrumentStore(opened.store, kind, registry) });
  const app = createHttpApp({ service, logger: createLogger('silent'), metrics: { registry } });
  return { server: createServer(app.callback()), close: () => opened.close() };
}

function required(variable: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '') throw new Error(`${variable} is not set`);
  return value;
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
