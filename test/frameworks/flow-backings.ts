import { MemorySessionStore } from '../../adapters/memory/index.js';
import type { SessionStore } from '../../core/index.js';
import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { openRedisTestStore } from '../support/redis-test-store.js';

/** A store kind the flows run on: how to open it for one test file, and how to get a fresh store. */
export interface FlowBacking {
  readonly name: string;
  open(): Promise<OpenedBacking>;
}

/** An opened store kind. */
export interface OpenedBacking {
  /** A store of its own (empty), so flows of one file never see each other's sessions. */
  freshStore(): Promise<SessionStore>;
  close(): Promise<void>;
}

/** Memory, a redis-server this process starts, and an in-process dynalite. */
export const flowBackings: readonly FlowBacking[] = [
  {
    name: 'memory',
    open: async () => ({ freshStore: async () => new MemorySessionStore(), close: async () => {} }),
  },
  {
    name: 'redis',
    open: async () => {
      const redis = await openRedisTestStore('standalone');
      return { freshStore: async () => redis.freshStore(), close: () => redis.close() };
    },
  },
  {
    name: 'dynamodb',
    open: async () => {
      const dynamo = await openDynamoTestStore();
      return { freshStore: async () => (await dynamo.freshStore()).store, close: () => dynamo.close() };
    },
  },
];
