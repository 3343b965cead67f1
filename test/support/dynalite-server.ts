import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';

/** A dynalite running in this process on an ephemeral port of 127.0.0.1. */
export interface DynaliteServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite in memory; tables are ACTIVE as soon as they are created. */
export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Dummy credentials: dynalite checks that a request is signed, not by whom. */
export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** A document client for `endpoint`, configured as the server configures its own. */
export function createTestClient(endpoint: string): DynamoDBDocumentClient {
  return createDynamoDocumentClient({ region: 'us-east-1', endpoint, credentials: testCredentials });
}

/** A table name no other test file uses. */
export function uniqueTableName(): string {
  return `sessions-${randomUUID()}`;
}

/** Counts the HTTP requests a client sends, by operation, each retry included. */
export interface RequestCounter {
  /** Requests sent since the last reset, e.g. `{ PutItem: 1 }`. */
  counts(): Record<string, number>;
  reset(): void;
}

/** Adds a counting step to the client's middleware stack, after its retry step. */
export function countRequests(client: DynamoDBDocumentClient): RequestCounter {
  let counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // The document client's commands wrap the service's; name them by the service operation.
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'countRequests' },
  );
  return {
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}
