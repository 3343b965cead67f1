import { toBase64Url } from './base64url.js';

/**
 * SHA-256 of a string's UTF-8 bytes, answered as its URL-safe base64 text without padding (43
 * characters): every handle, home and lease id is a prefix of that text, so the core never
 * encodes bytes itself, and Node answers the text faster than the bytes (`crypto.hash`'s
 * `'base64url'` output costs about a third of its `'buffer'` output). The core hashes through
 * this port so it stays free of `node:*`: the default is Web Crypto's, which is asynchronous; the
 * service built by `server/` passes Node's synchronous one.
 */
export type Sha256 = (text: string) => string | Promise<string>;

/**
 * A `Sha256` answer: 256 bits as 43 base64url digits, the last carrying 4 bits and two zero bits
 * (so one of 16 digits). Standard base64 with its padding cut is also 43 characters, and its `+`
 * or `/` would make handles no route or partition can hold.
 */
const DIGEST_TEXT = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

const encoder = new TextEncoder();

/** SHA-256 through Web Crypto (`crypto.subtle`), available on every platform the core runs on. */
export const webCryptoSha256: Sha256 = async (text) =>
  toBase64Url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text))));

/**
 * `then(digest)` for what a `Sha256` answered: at once when it answered the text itself (a
 * synchronous hash, Node's), when the promise settles otherwise. So a synchronous hash costs the
 * callers neither a promise nor a microtask. Anything but the digest's text (bytes, as this port
 * answered before) is a `TypeError` naming the port, never a wrong handle.
 */
export function afterHash<T>(hashed: string | Promise<string>, then: (digest: string) => T): T | Promise<T> {
  if (typeof hashed === 'string') return then(checkedDigest(hashed));
  return Promise.resolve(hashed).then((digest) => then(checkedDigest(digest)));
}

function checkedDigest(digest: unknown): string {
  if (typeof digest !== 'string' || !DIGEST_TEXT.test(digest)) {
    throw new TypeError('sha256 must answer the SHA-256 digest as base64url text without padding (43 characters)');
  }
  return digest;
}

/** The digest of `text` through `sha256`, checked as `afterHash` checks it (for a store's own hashed ids). */
export function digestOf(text: string, sha256: Sha256): string | Promise<string> {
  return afterHash(sha256(text), (digest) => digest);
}
