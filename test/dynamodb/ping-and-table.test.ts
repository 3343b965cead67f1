import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../core/index.js';
import { createSessionTable, DynamoSessionStore, sessionTableLayout } from '../../adapters/dynamodb/index.js';
import {
  closeDynamoDocumentClient,
  createDynamoDocumentClient,
  DYNAMODB_MAX_ATTEMPTS,
  DYNAMODB_REQUEST_TIMEOUT_MS,
} from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { runCreateTableCommand } from '../../server/create-table-command.js';
import {
  createTestClient,
  startDynalite,
  testCredentials,
  uniqueTableName,
  type DynaliteServer,
} from '../support/dynalite-server.js';
import { randomBytes } from 'node:crypto';
import { handleIn, sessionAt, T0 } from '../support/session-fixtures.js';

import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';

let server: DynaliteServer;
let client: DynamoDBDocumentClient;

/** The service's own client, with its own timeouts, for an endpoint that does not answer. */
const serviceClient = (endpoint: string): DynamoDBDocumentClient =>
  createDynamoDocumentClient({ region: 'us-east-1', endpoint, credentials: testCredentials });

// Its attempts, and ample room for a loaded machine's late timers: a client that never gives up
// (no request timeout) still fails the test, and the attempts are checked exactly.
const GIVES_UP_WITHIN_MS = DYNAMODB_MAX_ATTEMPTS * DYNAMODB_REQUEST_TIMEOUT_MS + 10_000;

beforeAll(async () => {
  server = await startDynalite();
  client = createTestClient(server.endpoint);
});

afterAll(async () => {
  closeDynamoDocumentClient(client);
  await server.close();
});

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('createSessionTable', () => {
  it('creates the table of the layout, and says TTL is not supported by dynalite', async () => {
    const tableName = uniqueTableName();
    expect(await createSessionTable(client, tableName)).toEqual({ table: 'created', timeToLive: 'unsupported' });
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.KeySchema).toEqual(sessionTableLayout.keySchema);
    expect(table?.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST').toBe('PAY_PER_REQUEST');
    // A user's sessions are one partition of the table: no index to keep or to lag behind.
    expect(table?.GlobalSecondaryIndexes ?? []).toEqual([]);
    expect(new Set(table?.AttributeDefinitions)).toEqual(new Set(sessionTableLayout.attributeDefinitions));
    // Running it again is harmless.
    expect(await createSessionTable(client, tableName)).toEqual({ table: 'existed', timeToLive: 'unsupported' });
  });
});

describe('ping', () => {
  it('passes for an ACTIVE table of the layout', async () => {
    const tableName = uniqueTableName();
    await createSessionTable(client, tableName);
    await expect(new DynamoSessionStore(client, tableName).ping()).resolves.toBeUndefined();
  });

  it('fails with StoreUnavailableError naming the key schema for a table of the 0.1 layout (keyed by id alone)', async () => {
    const tableName = uniqueTableName();
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await expect(new DynamoSessionStore(client, tableName).ping()).rejects.toMatchObject({
      constructor: StoreUnavailableError,
      message: expect.stringContaining('keyed by id HASH, not home HASH, id RANGE'),
    });
  });

  it('fails with StoreUnavailableError when the table does not exist', async () => {
    const store = new DynamoSessionStore(client, uniqueTableName());
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get(sessionAt().id, T0)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('fails with StoreUnavailableError, within a few seconds, when the endpoint is unreachable', async () => {
    const dead = serviceClient(`http://127.0.0.1:${await closedPort()}`);
    const store = new DynamoSessionStore(dead, uniqueTableName());
    try {
      const started = performance.now();
      const failure = await store.ping().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).cause).toMatchObject({ $metadata: { attempts: DYNAMODB_MAX_ATTEMPTS } });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(GIVES_UP_WITHIN_MS);
      console.info(`closed port: StoreUnavailableError after ${Math.round(elapsed)} ms`);
      await expect(store.create(sessionAt(), T0)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      closeDynamoDocumentClient(dead);
    }
  });

  it('fails with StoreUnavailableError, within a few seconds, when the endpoint accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const dead = serviceClient(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    try {
      const started = performance.now();
      const failure = await new DynamoSessionStore(dead, uniqueTableName()).ping().catch((error: unknown) => error);
      const elapsed = performance.now() - started;
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      // Each attempt ended by the request timeout, not by anything the endpoint did.
      expect((failure as StoreUnavailableError).cause).toMatchObject({
        name: 'TimeoutError',
        $metadata: { attempts: DYNAMODB_MAX_ATTEMPTS },
      });
      expect(elapsed).toBeLessThan(GIVES_UP_WITHIN_MS);
      console.info(`silent endpoint: StoreUnavailableError after ${Math.round(elapsed)} ms`);
    } finally {
      closeDynamoDocumentClient(dead);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('session-api create-table', () => {
  it('creates the table named in the environment and prints one line', async () => {
    const tableName = uniqueTableName();
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      DYNAMODB_TABLE_NAME: tableName,
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: server.endpoint,
      AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    };
    // The SDK reads credentials from process.env, as it will in the real command.
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    process.env['AWS_ACCESS_KEY_ID'] = env.AWS_ACCESS_KEY_ID;
    process.env['AWS_SECRET_ACCESS_KEY'] = env.AWS_SECRET_ACCESS_KEY;
    try {
      const io = { env, stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line) };
      expect(await runCreateTableCommand(io)).toBe(0);
      expect(out).toEqual([
        `session-api create-table: table ${tableName} created at ${server.endpoint}, TTL not supported by this endpoint`,
      ]);
      expect(err).toEqual([]);
      await expect(new DynamoSessionStore(client, tableName).ping()).resolves.toBeUndefined();
      expect(await runCreateTableCommand(io)).toBe(0);
      expect(out[1]).toContain(`table ${tableName} existed`);
      expect(await runCreateTableCommand({ ...io, env: { ...env, DYNAMODB_TABLE_NAME: 'x' } })).toBe(2);
      expect(await runCreateTableCommand({ ...io, env: { ...env, SESSION_STORE: 'memory' } })).toBe(2);
      expect(err).toHaveLength(2);
    } finally {
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
