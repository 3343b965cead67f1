import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absoluteDeadline,
  expiryAfterChange,
  expiryAtCreation,
  isLive,
  type TtlPolicy,
} from '../../core/index.js';

// Small, discrete times so that boundaries (equal instants) are hit often.
const policy = fc.record({
  defaultTtl: fc.integer({ min: 1, max: 5 }),
  maxTtl: fc.integer({ min: 1, max: 5 }),
  slidingExpiration: fc.boolean(),
  absoluteTimeout: fc.integer({ min: 1, max: 12 }),
  touchInterval: fc.integer({ min: 0, max: 3 }),
}) satisfies fc.Arbitrary<TtlPolicy>;
const ttl = fc.integer({ min: 1, max: 5 });
const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { maxLength: 12 });

describe('TTL rules', () => {
  it('a session is live strictly before expiresAt and gone at it', () => {
    expect(isLive({ expiresAt: 10 }, 9)).toBe(true);
    expect(isLive({ expiresAt: 10 }, 10)).toBe(false);
    expect(isLive({ expiresAt: 10 }, 11)).toBe(false);
  });

  it('no sequence of writes and refreshes passes the absolute timeout or shortens a session', () => {
    fc.assert(
      fc.property(policy, ttl, fc.integer({ min: 0, max: 100 }), steps, (p, t, createdAt, sequence) => {
        let session = { createdAt, ttl: t, expiresAt: expiryAtCreation(p, createdAt, t) };
        expect(session.expiresAt).toBe(Math.min(createdAt + t, createdAt + p.absoluteTimeout));
        let now = createdAt;
        for (const [advance, refresh] of sequence) {
          now += advance;
          if (!isLive(session, now)) break;
          const next = expiryAfterChange(session, { slide: refresh || p.slidingExpiration, absoluteTimeout: p.absoluteTimeout }, now);
          expect(next).toBeLessThanOrEqual(absoluteDeadline(p, session));
          expect(next).toBeGreaterThanOrEqual(Math.min(session.expiresAt, absoluteDeadline(p, session)));
          session = { ...session, expiresAt: next };
        }
      }),
    );
  });

  it('a refresh reaches now + ttl unless the absolute timeout caps it', () => {
    fc.assert(
      fc.property(policy, ttl, fc.integer({ min: 0, max: 6 }), (p, t, elapsed) => {
        const session = { createdAt: 0, ttl: t, expiresAt: expiryAtCreation(p, 0, t) };
        const refreshed = expiryAfterChange(session, { slide: true, absoluteTimeout: p.absoluteTimeout }, elapsed);
        expect(refreshed).toBe(Math.min(Math.max(session.expiresAt, elapsed + t), p.absoluteTimeout));
      }),
    );
  });

  it('a write moves expiry only when it slides', () => {
    fc.assert(
      fc.property(policy, ttl, fc.integer({ min: 0, max: 6 }), (p, t, elapsed) => {
        const session = { createdAt: 0, ttl: t, expiresAt: expiryAtCreation(p, 0, t) };
        const written = expiryAfterChange(session, { slide: p.slidingExpiration, absoluteTimeout: p.absoluteTimeout }, elapsed);
        if (p.slidingExpiration) expect(written).toBe(expiryAfterChange(session, { slide: true, absoluteTimeout: p.absoluteTimeout }, elapsed));
        else expect(written).toBe(Math.min(session.expiresAt, p.absoluteTimeout));
      }),
    );
  });
});
