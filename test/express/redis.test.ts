import { openRedisTestStore } from '../support/redis-test-store.js';
import { describeExpressStore } from './express-store-suite.js';

describeExpressStore('redis', () => openRedisTestStore('standalone'));
// A user's sessions share one slot: log out everywhere and the listing are one node's work there too.
describeExpressStore('redis cluster', () => openRedisTestStore('cluster'));
