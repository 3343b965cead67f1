/**
 * The Redis session store: standalone Redis or Redis Cluster through ioredis 6.
 * @packageDocumentation
 */
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
