import { MemorySessionStore } from '../../adapters/memory/index.js';
import { describeExpressStore } from './express-store-suite.js';

describeExpressStore('memory', async () => ({ store: new MemorySessionStore(), close: async () => {} }));
