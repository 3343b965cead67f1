import type { Cluster, Redis } from 'ioredis';
import { createRedisClient } from '../../adapters/redis/create-redis-client.js';
import { CommandCounter } from './command-counter.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { waitUntil } from './wait-until.js';

/** A redis-server of the test's own, the service's client to it, and a counter of the commands it receives. */
export interface CountedRedis {
  readonly client: Redis | Cluster;
  /** The names of the commands `action` sent (lower case), scripts' inner commands left out. */
  commands(action: () => Promise<unknown>): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts a redis-server on a spare port, with a client and a command counter on it. */
export async function startCountedRedis(): Promise<CountedRedis> {
  const server: RedisServer = await startRedisServer();
  const client = createRedisClient({ url: server.url });
  await waitUntil(() => client.ping());
  const counter = await CommandCounter.start(server.port);
  return {
    client,
    commands: async (action) => (await counter.during(action)).map((args) => (args[0] ?? '').toLowerCase()),
    async stop() {
      await counter.stop();
      client.disconnect();
      await server.stop();
    },
  };
}
