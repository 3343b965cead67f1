/**
 * SHA-256 of a string's UTF-8 bytes. The core hashes tokens through this port so it stays free of
 * `node:*`: the default is Web Crypto's, which is asynchronous; the service built by `server/`
 * passes Node's synchronous one, which costs about a microsecond.
 */
export type Sha256 = (text: string) => Uint8Array | Promise<Uint8Array>;

const encoder = new TextEncoder();

/** SHA-256 through Web Crypto (`crypto.subtle`), available on every platform the core runs on. */
export const webCryptoSha256: Sha256 = async (text) =>
  new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));

/**
 * `then(hash)` for what a `Sha256` answered: at once when it answered the bytes themselves (a
 * synchronous hash, Node's), when the promise settles otherwise. So a synchronous hash costs the
 * callers neither a promise nor a microtask.
 */
export function afterHash<T>(hashed: Uint8Array | Promise<Uint8Array>, then: (bytes: Uint8Array) => T): T | Promise<T> {
  // Tested for a promise, not for bytes: a Uint8Array of another realm (a vm context) is bytes too.
  return typeof (hashed as Partial<Promise<Uint8Array>>).then === 'function' ? (hashed as Promise<Uint8Array>).then(then) : then(hashed as Uint8Array);
}
