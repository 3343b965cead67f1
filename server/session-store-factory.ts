import type { SessionStore } from '../core/index.js';
import type { StoreConfig } from './config.js';
import { nodeSha256 } from './node-sha256.js';

/** Where a store reports trouble that no request sees (a dropped connection, say). */
export type StoreWarning = (fields: object, message: string) => void;

/** A store and how to release what it holds (its client) at shutdown. */
export interface OpenedStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

/**
 * Opens the configured store. Drivers are imported only when their store is chosen, so the
 * service runs on the memory store without ioredis or the AWS SDK installed.
 */
export async function openSessionStore(config: StoreConfig, warn: StoreWarning): Promise<OpenedStore> {
  switch (config.kind) {
    case 'memory': {
      const { MemorySessionStore } = await import('../adapters/memory/index.js');
      return { store: new MemorySessionStore(), close: async () => {} };
    }
    case 'redis': {
      const { createRedisClient, RedisSessionStore } = await import('../adapters/redis/index.js');
      const client = createRedisClient({
        url: config.url,
        clusterNodes: config.clusterNodes,
        commandTimeoutMs: config.commandTimeoutMs,
        onError: (error) => warn({ err: error }, 'redis connection error'),
      });
      return {
        // The store hashes user ids into homes for the per-user calls: Node's SHA-256, as the core's.
        store: new RedisSessionStore(client, { keyPrefix: config.keyPrefix, sha256: nodeSha256 }),
        close: async () => {
          await client.quit().catch(() => client.disconnect());
        },
      };
    }
    case 'dynamodb': {
      const { closeDynamoDocumentClient, createDynamoDocumentClient, DynamoSessionStore } = await import('../adapters/dynamodb/index.js');
      const client = createDynamoDocumentClient({ region: config.region, endpoint: config.endpoint });
      return { store: new DynamoSessionStore(client, config.tableName, { sha256: nodeSha256 }), close: async () => closeDynamoDocumentClient(client) };
    }
  }
}
