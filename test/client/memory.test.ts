import { MemorySessionStore } from '../../adapters/memory/index.js';
import { describeSessionClient } from './client-suite.js';

describeSessionClient('memory', async () => ({ store: new MemorySessionStore(), close: async () => {} }));
