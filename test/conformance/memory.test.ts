import { expect, test } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { checkSessionStore } from '../../testing/index.js';

// One line per store: a factory for a fresh empty store, and how many runs it is worth.
test('the memory store conforms to the SessionStore port', async () => {
  await expect(checkSessionStore(() => new MemorySessionStore(), { numRuns: 200 })).resolves.toBeUndefined();
});
