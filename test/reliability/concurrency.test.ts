import { MemorySessionStore } from '../../adapters/memory/index.js';
import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { openRedisTestStore } from '../support/redis-test-store.js';
import { describeConcurrency } from './concurrency-suite.js';

describeConcurrency('memory', async () => ({ store: new MemorySessionStore(), close: async () => {} }));
describeConcurrency('redis standalone', () => openRedisTestStore('standalone'));
describeConcurrency('redis cluster', () => openRedisTestStore('cluster'));
describeConcurrency('dynamodb (dynalite)', () => openDynamoTestStore());
