import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, loadConfig, runServer } from '../server/index.js';
import { bareKoaServer, bareNodeServer } from './bare-servers.js';
import { HTTP_TARGETS, type HttpTargetKind, type TargetReady } from './http-target-kind.js';

// A child process serving one HTTP target on an ephemeral port of 127.0.0.1, apart from the
// load generator. It reports its port over IPC and stops when the parent says so or leaves.

/** A listening target and how to stop it. */
interface Target {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Target> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The service exactly as its bin runs it (configuration from the environment, the composition
 * root, metrics, the instrumented store), with the request log off as the bare servers have none.
 */
async function serveService(store: 'memory' | 'redis' | 'dynamodb'): Promise<Target> {
  const config = loadConfig({ ...process.env, SESSION_STORE: store, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const running = await runServer(config, createLogger('silent'));
  await untilReady(running.port);
  return { port: running.port, close: () => running.close(0) };
}

/** The service starts before its store answers; the measurement must not. */
async function untilReady(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`the service on port ${port} never became ready`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function serve(kind: HttpTargetKind): Promise<Target> {
  switch (kind) {
    case 'node':
      return listen(bareNodeServer());
    case 'koa':
      return listen(bareKoaServer());
    default:
      return serveService(kind);
  }
}

const kind = process.argv[2] as HttpTargetKind;
if (!(HTTP_TARGETS as readonly string[]).includes(kind)) throw new Error(`unknown target ${kind}`);
const target = await serve(kind);
let stopping: Promise<void> | undefined;
const stop = (): Promise<void> => (stopping ??= target.close());
// Stops when told, and when the parent goes away without telling (it crashed).
process.on('message', (message) => {
  if (message === 'stop') void stop().finally(() => process.exit(0));
});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));
process.send?.({ port: target.port } satisfies TargetReady);
