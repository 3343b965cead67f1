import { openRedisTestStore } from '../support/redis-test-store.js';
import { describeExpressStore } from './express-store-suite.js';

describeExpressStore('redis', () => openRedisTestStore('standalone'));
