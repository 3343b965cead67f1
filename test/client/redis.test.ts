import { openRedisTestStore } from '../support/redis-test-store.js';
import { describeSessionClient } from './client-suite.js';

describeSessionClient('redis', () => openRedisTestStore('standalone'));
describeSessionClient('redis cluster', () => openRedisTestStore('cluster'));
