import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { webCryptoSha256 } from '../../core/index.js';
import { nodeSha256 } from '../../server/node-sha256.js';

/**
 * The service hashes with Node's SHA-256, a library user by default with Web Crypto's. A handle is
 * a hash of its token and a home a hash of its user id, so the two must agree on every string, or
 * a session created through one would not resolve (nor list by user) through the other.
 */
describe('nodeSha256', () => {
  it('is synchronous, answering the digest as base64url text', () => {
    expect(nodeSha256('abc')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers the FIPS 180-2 vector for "abc"', () => {
    expect(Buffer.from(nodeSha256('abc') as string, 'base64url').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('agrees with Web Crypto on every string, lone surrogates included (both encode them as U+FFFD)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        expect(nodeSha256(text)).toBe(await webCryptoSha256(text));
      }),
      { numRuns: 300 },
    );
    for (const text of ['', '\ud800', 'a\udc00b', '😀', 'user:alice']) {
      expect(nodeSha256(text)).toBe(await webCryptoSha256(text));
    }
  });
});
