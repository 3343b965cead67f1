import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, test } from 'vitest';
import { createSessionTable, DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../server/dynamodb-client.js';
import { checkSessionStore } from '../../testing/index.js';
import { createTestClient, startDynalite, uniqueTableName, type DynaliteServer } from '../support/dynalite-server.js';

let server: DynaliteServer;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  server = await startDynalite();
  client = createTestClient(server.endpoint);
});

afterAll(async () => {
  closeDynamoDocumentClient(client);
  await server.close();
});

// A fresh table per run. A Scan page filters after its Limit, so a `list` page may be short
// and the last one may carry a cursor to an empty page: both declared, nothing else loosened.
test('the DynamoDB store conforms to the SessionStore port', () =>
  checkSessionStore(
    async () => {
      const tableName = uniqueTableName();
      await createSessionTable(client, tableName);
      return {
        store: new DynamoSessionStore(client, tableName),
        dispose: async () => {
          await client.send(new DeleteTableCommand({ TableName: tableName }));
        },
      };
    },
    { numRuns: 30, lacks: { fullPages: true, nullCursorAtEnd: true } },
  ), 120_000);
