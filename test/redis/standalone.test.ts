import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { startRedisServer } from '../support/redis-server.js';
import { waitUntil } from '../support/wait-until.js';
import { describeRedisStoreBehaviour } from './store-behaviour.js';

describeRedisStoreBehaviour('standalone Redis', async () => {
  const server = await startRedisServer();
  const client = createRedisClient({ url: server.url });
  await waitUntil(() => client.ping());
  return {
    client,
    async close() {
      client.disconnect();
      await server.stop();
    },
  };
});
