import { createSessionTable, DynamoSessionStore } from '../../adapters/dynamodb/index.js';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { RedisSessionStore } from '../../adapters/redis/index.js';
import { closeDynamoDocumentClient } from '../../server/dynamodb-client.js';
import { createRedisClient } from '../../server/redis-client.js';
import { createTestClient, startDynalite, uniqueTableName } from '../support/dynalite-server.js';
import { startRedisCluster, startRedisServer } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';
import { describeConcurrency } from './concurrency-suite.js';

describeConcurrency('memory', async () => ({ store: new MemorySessionStore(), close: async () => {} }));

describeConcurrency('redis standalone', async () => {
  const server = await startRedisServer();
  const client = createRedisClient({ url: server.url });
  const store = new RedisSessionStore(client);
  await waitUntil(() => store.ping());
  return {
    store,
    close: async () => {
      client.disconnect();
      await server.stop();
    },
  };
});

describeConcurrency('redis cluster', async () => {
  const cluster = await startRedisCluster();
  const client = createRedisClient({ clusterNodes: cluster.nodes });
  const store = new RedisSessionStore(client);
  await waitUntil(() => store.ping());
  return {
    store,
    close: async () => {
      client.disconnect();
      await cluster.stop();
    },
  };
});

describeConcurrency('dynamodb (dynalite)', async () => {
  const server = await startDynalite();
  const client = createTestClient(server.endpoint);
  const tableName = uniqueTableName();
  await createSessionTable(client, tableName);
  return {
    store: new DynamoSessionStore(client, tableName),
    close: async () => {
      closeDynamoDocumentClient(client);
      await server.close();
    },
  };
});
