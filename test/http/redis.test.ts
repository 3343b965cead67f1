import { openRedisTestStore } from '../support/redis-test-store.js';
import { describeHttpApi } from './http-api-suite.js';

describeHttpApi('redis', () => openRedisTestStore('standalone'));
describeHttpApi('redis cluster', () => openRedisTestStore('cluster'));
