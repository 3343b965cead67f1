import { createSessionTable, DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../server/dynamodb-client.js';
import { createTestClient, startDynalite, uniqueTableName } from '../support/dynalite-server.js';
import { describeHttpApi } from './http-api-suite.js';

describeHttpApi('dynamodb', async () => {
  const dynalite = await startDynalite();
  const client = createTestClient(dynalite.endpoint);
  const tableName = uniqueTableName();
  await createSessionTable(client, tableName);
  return {
    store: new DynamoSessionStore(client, tableName),
    close: async () => {
      closeDynamoDocumentClient(client);
      await dynalite.close();
    },
  };
});
