import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../core/index.js';
import { serializeWireSession } from '../../transports/http/session-serializer.js';
import { toWireSession } from '../../transports/http/index.js';

const json = fc.jsonValue({ maxDepth: 3 });
const session: fc.Arbitrary<Session> = fc.record(
  {
  id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{22}$/), fc.string({ unit: 'binary' })),
  userId: fc.string({ unit: 'binary', minLength: 1 }),
  data: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '"', '\u2028')), json),
  createdAt: fc.integer({ min: 0, max: 8.64e15 }),
  updatedAt: fc.integer({ min: 0, max: 8.64e15 }),
  lastActiveAt: fc.integer({ min: 0, max: 8.64e15 }),
  expiresAt: fc.integer({ min: 0, max: 8.64e15 }),
  version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  ttl: fc.integer({ min: 1 }),
  context: fc.record(
    {
      ip: fc.string({ unit: 'binary' }),
      userAgent: fc.string({ unit: 'binary' }),
      device: fc.string({ unit: 'binary' }),
      authenticatedAt: fc.integer({ min: 0, max: 8.64e15 }),
      authMethods: fc.array(fc.string()),
    },
    { requiredKeys: [] },
  ),
  },
  // userId may be absent: an anonymous session has no userId field on the wire; so may the
  // context, and any of its fields.
  { requiredKeys: ['id', 'data', 'createdAt', 'updatedAt', 'lastActiveAt', 'expiresAt', 'version', 'ttl'] },
) as fc.Arbitrary<Session>;

describe('the session serialiser of the hot path', () => {
  it('writes exactly JSON.stringify(toWireSession(session))', () => {
    fc.assert(
      fc.property(session, (s) => {
        expect(serializeWireSession(s)).toBe(JSON.stringify(toWireSession(s)));
      }),
      { numRuns: 500 },
    );
  });
});
