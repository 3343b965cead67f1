import session from 'express-session';
import createMemoryStore from 'memorystore';
import { MemorySessionStore } from '../adapters/memory/index.js';
import { expressSessionContender } from './express-session-contender.js';
import { sessionStoreContender } from './session-store-contender.js';
import type { StoreContender } from './store-contender.js';
import { SUBJECTS } from './subjects.js';

/** Our memory store against the two in-process stores express-session users pick. */
export function memoryContenders(): StoreContender[] {
  const MemoryStore = createMemoryStore(session);
  // Pruned daily, as its README sets it up; the timer never fires within a run.
  const memorystore = new MemoryStore({ checkPeriod: 86_400_000 });
  return [
    sessionStoreContender(SUBJECTS.memoryOurs, new MemorySessionStore()),
    expressSessionContender(SUBJECTS.memorystore, memorystore, async () => memorystore.stopInterval()),
    expressSessionContender(SUBJECTS.expressMemoryStore, new session.MemoryStore()),
  ];
}
