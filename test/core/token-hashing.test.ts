import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupHandle, placeToken, toBase64Url, userHome, webCryptoSha256, type Sha256 } from '../../core/index.js';
import { base64UrlPrefix } from '../../core/base64url.js';

const syncSha256: Sha256 = (text) => createHash('sha256').update(text).digest();
const token = fc.stringMatching(/^[A-Za-z0-9_-]{22,64}$/);

describe('token hashing', () => {
  it('encodes a prefix exactly as the full base64url text starts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 42 }), (bytes, length) => {
        expect(base64UrlPrefix(bytes, length)).toBe(toBase64Url(bytes).slice(0, length));
      }),
    );
  });

  it('answers at once with a synchronous SHA-256, and the same handles as with Web Crypto', async () => {
    await fc.assert(
      fc.asyncProperty(token, fc.string({ minLength: 1, maxLength: 20 }), async (sid, userId) => {
        const home = userHome(userId, syncSha256);
        expect(typeof home).toBe('string');
        expect(home).toBe(await userHome(userId, webCryptoSha256));
        const placed = placeToken(sid, home as string, syncSha256);
        expect(placed).not.toBeInstanceOf(Promise);
        expect(placed).toEqual(await placeToken(sid, home as string, webCryptoSha256));
        const own = lookupHandle(sid, syncSha256);
        expect(typeof own).toBe('string');
        expect(own).toBe(await lookupHandle(sid, webCryptoSha256));
      }),
      { numRuns: 50 },
    );
  });

  it('answers a promise with an asynchronous SHA-256', () => {
    expect(userHome('alice', webCryptoSha256)).toBeInstanceOf(Promise);
    expect(lookupHandle('not a token', webCryptoSha256)).toBeUndefined();
  });
});
