import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createSessionTable, DynamoSessionStore, type DynamoSessionStoreOptions } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { createTestClient, startDynalite, uniqueTableName } from './dynalite-server.js';

/** An in-process dynalite, the service's kind of client for it, and a store on a fresh table. */
export interface DynamoTestStore {
  readonly client: DynamoDBDocumentClient;
  /** dynalite's endpoint, for a test's further clients (as further service processes). */
  readonly endpoint: string;
  readonly store: DynamoSessionStore;
  /** The table behind `store`, for tests that write to it directly. */
  readonly tableName: string;
  /** A store (built with `options`) on a table of its own (empty), and how to drop that table. */
  freshStore(options?: DynamoSessionStoreOptions): Promise<{ store: DynamoSessionStore; dispose: () => Promise<void> }>;
  close(): Promise<void>;
}

/** Starts dynalite on an ephemeral port and makes the session table the way `create-table` does. */
export async function openDynamoTestStore(): Promise<DynamoTestStore> {
  const dynalite = await startDynalite();
  const client = createTestClient(dynalite.endpoint);
  const freshStore = async (options?: DynamoSessionStoreOptions) => {
    const tableName = uniqueTableName();
    await createSessionTable(client, tableName);
    return {
      store: new DynamoSessionStore(client, tableName, options),
      tableName,
      dispose: async () => {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      },
    };
  };
  const { store, tableName } = await freshStore();
  return {
    client,
    endpoint: dynalite.endpoint,
    store,
    tableName,
    freshStore,
    close: async () => {
      closeDynamoDocumentClient(client);
      await dynalite.close();
    },
  };
}
