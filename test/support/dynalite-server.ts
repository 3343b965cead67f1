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

/**
 * How long the test client waits to connect and for an answer. dynalite answers from this very
 * process, on the event loop the test also runs on: on a loaded 2-core machine 50 concurrent
 * requests queue there for seconds, and the service's 1 s per attempt (right for DynamoDB, which
 * answers in milliseconds) turned them into 503s. A hang still fails, at the test's timeout.
 */
export const DYNALITE_CLIENT_TIMEOUT_MS = 20_000;

/**
 * A document client for the test's dynalite at `endpoint`, configured as the server configures
 * its own except for {@link DYNALITE_CLIENT_TIMEOUT_MS}. Tests of the service's own timeouts use
 * `createDynamoDocumentClient` itself.
 */
export function createTestClient(endpoint: string): DynamoDBDocumentClient {
  const client = createDynamoDocumentClient({ region: 'us-east-1', endpoint, credentials: testCredentials });
  // The SDK's way to change a built client's HTTP settings (its runtime extensions use it).
  const handler = client.config.requestHandler as { updateHttpClientConfig(key: string, value: unknown): void };
  handler.updateHttpClientConfig('requestTimeout', DYNALITE_CLIENT_TIMEOUT_MS);
  handler.updateHttpClientConfig('connectionTimeout', DYNALITE_CLIENT_TIMEOUT_MS);
  return client;
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
