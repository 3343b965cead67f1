import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { startRedisCluster } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';
import { describeRedisStoreBehaviour } from './store-behaviour.js';

describeRedisStoreBehaviour('a three-master Redis Cluster', async () => {
  const cluster = await startRedisCluster();
  const client = createRedisClient({ clusterNodes: cluster.nodes });
  await waitUntil(() => client.ping());
  return {
    client,
    async close() {
      client.disconnect();
      await cluster.stop();
    },
  };
});
