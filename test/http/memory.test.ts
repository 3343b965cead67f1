import { MemorySessionStore } from '../../adapters/memory/index.js';
import { describeHttpApi } from './http-api-suite.js';

describeHttpApi('memory', async () => ({ store: new MemorySessionStore(), close: async () => {} }));
