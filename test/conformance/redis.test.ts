import { afterAll, beforeAll, describe, test } from 'vitest';
import { checkSessionStore } from '../../testing/index.js';
import { openRedisTestStore, type RedisTestStore } from '../support/redis-test-store.js';

// Each run gets a fresh, empty store: the same Redis under a new key prefix.
for (const kind of ['standalone', 'cluster'] as const) {
  describe(`Redis ${kind}`, () => {
    let redis: RedisTestStore;
    beforeAll(async () => {
      redis = await openRedisTestStore(kind);
    });
    afterAll(() => redis?.close());
    test('conforms to the SessionStore port', () => checkSessionStore(() => redis.freshStore(), { numRuns: 100 }), 240_000);
    // With events on, the events properties run too: what it records equals what the model expects.
    test('conforms with events on, its events included', () => checkSessionStore(() => redis.freshStore({ events: true }), { numRuns: 100 }), 240_000);
  });
}
