import { MemorySessionStore } from '../../adapters/memory/index.js';
import { countingStore, type CountingStore } from './counting-store.js';
import { startTestServer, type TestServer } from './http-test-server.js';

/** The HTTP API over a memory store, and the count of the calls that reach that store. */
export interface CountingTestServer {
  readonly api: TestServer;
  readonly counting: CountingStore;
}

/**
 * Starts the API over a fresh memory store behind `countingStore`, so a test can tell what a
 * request cost in store calls, or that it never reached the store at all.
 */
export async function startCountingTestServer(): Promise<CountingTestServer> {
  const counting = countingStore(new MemorySessionStore());
  return { api: await startTestServer(counting.store), counting };
}
