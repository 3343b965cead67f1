import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, loadConfig, runServer } from '../server/index.js';
import { createSessionTable } from '../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient, createDynamoDocumentClient } from '../adapters/dynamodb/create-dynamo-document-client.js';
import { bareKoaServer, bareNodeServer } from './bare-servers.js';
import { DYNALITE_CREDENTIALS, startDynalite } from './dynalite-process.js';
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
async function serveService(store: 'memory' | 'redis' | 'dynamodb', env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const config = loadConfig({ ...env, SESSION_STORE: store, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const running = await runServer(config, createLogger('silent'));
  await untilReady(running.port);
  return { port: running.port, close: () => running.close(0) };
}

/**
 * The service over DynamoDB, with dynalite in this same process: the database shares the
 * service's core, not the load generator's (Redis, by contrast, is a process of its own).
 */
async function serveServiceOnDynalite(): Promise<Target> {
  const dynalite = await startDynalite();
  const client = createDynamoDocumentClient({ region: 'us-east-1', endpoint: dynalite.endpoint, credentials: DYNALITE_CREDENTIALS });
  await createSessionTable(client, 'bench-sessions');
  closeDynamoDocumentClient(client);
  // The service takes credentials from the SDK's default chain, which reads this process's environment.
  process.env['AWS_ACCESS_KEY_ID'] = DYNALITE_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = DYNALITE_CREDENTIALS.secretAccessKey;
  const service = await serveService('dynamodb', {
    ...process.env,
    DYNAMODB_TABLE_NAME: 'bench-sessions',
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: dynalite.endpoint,
  });
  return {
    port: service.port,
    async close() {
      await service.close();
      await dynalite.stop();
    },
  };
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
    case 'dynamodb':
      return serveServiceOnDynalite();
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
