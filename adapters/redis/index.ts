/**
 * The Redis session store: standalone Redis or Redis Cluster through ioredis 6, and the client
 * factory the service itself uses (command timeout, no offline queue, capped reconnection).
 * @packageDocumentation
 */
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
export { createRedisClient, type RedisClientOptions } from './create-redis-client.js';
export type { KeyLayout } from './key-layout.js';
