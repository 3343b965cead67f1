import type { SessionStore } from '../core/index.js';
import type { StoreConfig } from './config.js';

/** A store and how to release what it holds (its client) at shutdown. */
export interface OpenedStore {
  readonly store: SessionStore;
  close(): Promise<void>;
}

/**
 * Opens the configured store. Drivers are imported only when their store is chosen, so the
 * service runs on the memory store without ioredis or the AWS SDK installed.
 */
export async function openSessionStore(config: StoreConfig): Promise<OpenedStore> {
  switch (config.kind) {
    case 'memory': {
      const { MemorySessionStore } = await import('../adapters/memory/index.js');
      return { store: new MemorySessionStore(), close: async () => {} };
    }
    default:
      throw new Error(`the ${config.kind} store is not available in this build`);
  }
}
