import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestOf, lookupHandle, placeToken, toBase64Url, userHome, webCryptoSha256, type Sha256 } from '../../core/index.js';

const syncSha256: Sha256 = (text) => createHash('sha256').update(text).digest('base64url');
const token = fc.stringMatching(/^[A-Za-z0-9_-]{22,64}$/);

describe('token hashing', () => {
  it('takes Web Crypto\'s digest as base64url text without padding, as Node writes it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 100 }), async (text) => {
        expect(await webCryptoSha256(text)).toBe(toBase64Url(createHash('sha256').update(text).digest()));
        expect(await webCryptoSha256(text)).toBe(createHash('sha256').update(text).digest('base64url'));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a Sha256 answering anything but the digest\'s text (bytes, as the port once did), rather than making a handle of it', async () => {
    const bytesSha256 = ((text: string) => createHash('sha256').update(text).digest()) as unknown as Sha256;
    await expect(userHome('alice', bytesSha256)).rejects.toThrow(/sha256 must answer .*43 characters/);
    await expect(digestOf('lease:alice', bytesSha256)).rejects.toThrow(TypeError);
    await expect(async () => placeToken('a'.repeat(22), undefined, async () => 'short')).rejects.toThrow(TypeError);
    expect(() => lookupHandle('a'.repeat(22), (text) => createHash('sha256').update(text).digest('hex'))).toThrow(TypeError);
  });

  it('refuses 43 characters that are not base64url digits of 256 bits: standard base64 with its padding cut, or a last digit carrying more than 4 bits', async () => {
    const padCut = (text: string) => createHash('sha256').update(text).digest('base64').replace(/=+$/, '');
    // Find a user whose standard base64 digest holds a '+' or '/', so it differs from base64url.
    let userId = 0;
    while (!/[+/]/.test(padCut(`user:${userId}`))) userId += 1;
    const standardBase64: Sha256 = (text) => padCut(text);
    expect(standardBase64(`user:${userId}`)).toHaveLength(43);
    expect(() => userHome(String(userId), standardBase64)).toThrow(TypeError);
    const wideLastDigit: Sha256 = (text) => `${createHash('sha256').update(text).digest('base64url').slice(0, 42)}B`;
    expect(() => lookupHandle('a'.repeat(22), wideLastDigit)).toThrow(TypeError);
    fc.assert(fc.property(fc.string({ maxLength: 100 }), (text) => {
      expect(() => digestOf(text, syncSha256)).not.toThrow();
    }), { numRuns: 300 });
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
