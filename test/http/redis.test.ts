import { RedisSessionStore } from '../../adapters/redis/index.js';
import { createRedisClient } from '../../server/redis-client.js';
import { startRedisCluster, startRedisServer } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';
import { describeHttpApi } from './http-api-suite.js';

describeHttpApi('redis', async () => {
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

describeHttpApi('redis cluster', async () => {
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
