import type { EventLogOptions, SessionStore } from '../core/index.js';
import { ConfigError, SETTINGS, type StoreConfig } from './config.js';
import { nodeSha256 } from './node-sha256.js';

/** Where a store reports trouble that no request sees (a dropped connection, say). */
export type StoreWarning = (fields: object, message: string) => void;

/** A store and how to release what it holds (its client) at shutdown. */
export interface OpenedStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

/**
 * Opens the configured store, recording lifecycle events with `events` (then a store that cannot
 * record them is a `ConfigError` naming EVENTS_ENABLED). Drivers are imported only when their
 * store is chosen, so the service runs on the memory store without ioredis or the AWS SDK installed.
 */
export async function openSessionStore(config: StoreConfig, warn: StoreWarning, events?: EventLogOptions): Promise<OpenedStore> {
  const opened = await openStore(config, warn, events);
  if (events !== undefined) await requireEventLog(opened, config.kind);
  return opened;
}

/**
 * Refuses a store asked for events that has no event log (every store of this package has one;
 * a store built without the option, or a future one without the capability, does not): closes it
 * and throws the `ConfigError` naming EVENTS_ENABLED that start-up prints as its one line.
 */
export async function requireEventLog(opened: OpenedStore, kind: string): Promise<void> {
  if (opened.store.events !== undefined) return;
  await opened.close();
  throw new ConfigError(SETTINGS.eventsEnabled.name, `the ${kind} store cannot record events`, 'true');
}

async function openStore(config: StoreConfig, warn: StoreWarning, events: EventLogOptions | undefined): Promise<OpenedStore> {
  const withEvents = events === undefined ? {} : { events };
  switch (config.kind) {
    case 'memory': {
      const { MemorySessionStore } = await import('../adapters/memory/index.js');
      return { store: new MemorySessionStore(withEvents), close: async () => {} };
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
        store: new RedisSessionStore(client, { keyPrefix: config.keyPrefix, sha256: nodeSha256, ...withEvents }),
        close: async () => {
          await client.quit().catch(() => client.disconnect());
        },
      };
    }
    case 'dynamodb': {
      const { closeDynamoDocumentClient, createDynamoDocumentClient, DynamoSessionStore } = await import('../adapters/dynamodb/index.js');
      const client = createDynamoDocumentClient({ region: config.region, endpoint: config.endpoint });
      return { store: new DynamoSessionStore(client, config.tableName, { sha256: nodeSha256, ...withEvents }), close: async () => closeDynamoDocumentClient(client) };
    }
  }
}
