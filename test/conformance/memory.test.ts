import { test } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { checkSessionStore } from '../../testing/index.js';

// One line per store: a factory that makes a fresh, empty store, and how many runs it is worth.
// Both properties run: random command sequences against the model, then racing calls.
test('the memory store conforms to the SessionStore port', () =>
  checkSessionStore(() => new MemorySessionStore(), { numRuns: 200 }));

// With events on, the events properties run too: what it records equals what the model expects.
test('the memory store conforms with events on, its events included', () =>
  checkSessionStore(() => new MemorySessionStore({ events: true }), { numRuns: 200 }));

// With no reclaiming, expired sessions linger in every index, and only filtering hides them.
test('the memory store conforms when it never reclaims expired sessions', () =>
  checkSessionStore(() => new MemorySessionStore({ reclaimBudget: 0 }), { numRuns: 100 }));

// Events on and no reclaiming: each expiry is recorded by whatever read or sweep reaches it first.
test('the memory store conforms with events on when it never reclaims expired sessions', () =>
  checkSessionStore(() => new MemorySessionStore({ events: true, reclaimBudget: 0 }), { numRuns: 100 }));
