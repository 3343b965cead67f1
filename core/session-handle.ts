import { BASE64URL_ALPHABET, toBase64Url } from './base64url.js';
import { afterHash, type Sha256 } from './sha256.js';

/**
 * Handles and tokens: the split between what names a session and what proves you hold it.
 *
 * A handle is `<home>.<digest>`: `digest` is the first 22 base64url characters (132 bits) of
 * SHA-256(token), so a store that keeps the handle keeps only a hash of the token, and a token
 * is resolved by hashing it and looking the handle up (one key lookup; nothing secret is ever
 * compared, so there is no comparison to time). `home` is 4 base64url characters (24 bits) that
 * say where the session lives: the hash of its user's id, so all of a user's sessions share one
 * home (one Redis Cluster slot, one DynamoDB partition) and every per-user rule is one atomic
 * store operation; an anonymous session's home is a hash of its secret (issued tokens) or taken from
 * its digest (caller-chosen tokens).
 *
 * Tokens the service issues are `<home>.<secret>` with a 256-bit secret, so the token names its
 * home. A caller-chosen token (an express-session sid) has no dot and names no home: its session
 * lives at its own digest's home when anonymous; when it has a user it lives in the user's home
 * and the store keeps an alias at the token's own handle (`create(session, now, alias)`), so
 * `resolve` still finds it by the token alone.
 */

/** The form of every handle. */
const HANDLE = /^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{22}$/;
/** The form of a token the service issued. */
const ISSUED_TOKEN = /^[A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{43}$/;
/** The form of a caller-chosen token: URL-safe, at least 128 bits of base64url, no dot. */
const CALLER_TOKEN = /^[A-Za-z0-9_-]{22,256}$/;

/** The characters of a handle's home. */
export const HOME_LENGTH = 4;
const DIGEST_LENGTH = 22;
const SECRET_BYTES = 32;

/** True when `value` has the form of a session handle. */
export function isSessionHandle(value: unknown): value is string {
  return typeof value === 'string' && HANDLE.test(value);
}

/** True when `value` has the form of a token the service issued. */
export function isIssuedToken(value: unknown): value is string {
  return typeof value === 'string' && ISSUED_TOKEN.test(value);
}

/** True when `value` is acceptable as a caller-chosen token: 22 to 256 of `[A-Za-z0-9_-]`. */
export function isCallerToken(value: unknown): value is string {
  return typeof value === 'string' && CALLER_TOKEN.test(value);
}

/** The home part of a handle: where a store keeps the session. */
export function homeOf(handle: string): string {
  return handle.slice(0, HOME_LENGTH);
}

/**
 * A home as the number its 24 bits spell (base64url digits), so a store can spread homes over
 * partitions (`homeBits(home) % partitions`): a home is a hash, so they spread evenly.
 */
export function homeBits(home: string): number {
  let bits = 0;
  for (let i = 0; i < home.length; i++) bits = bits * 64 + BASE64URL_ALPHABET.indexOf(home.charAt(i));
  return bits;
}

/**
 * The home of every session of `userId`. Like every hash below, answered at once (no promise)
 * when `sha256` is synchronous (Node's), so the hot paths pay no microtask for it.
 */
export function userHome(userId: string, sha256: Sha256): string | Promise<string> {
  return afterHash(sha256(`user:${userId}`), (digest) => digest.slice(0, HOME_LENGTH));
}

/** Draws the random part of an issued token (256 bits from the platform's CSPRNG). */
export function randomSecret(): string {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The home of an anonymous session with an issued token: a hash of its secret, so they spread. */
export function anonymousHome(secret: string, sha256: Sha256): string | Promise<string> {
  return afterHash(sha256(`anonymous:${secret}`), (digest) => digest.slice(0, HOME_LENGTH));
}

/** A token the service issues: `<home>.<secret>`. */
export function issuedToken(home: string, secret: string): string {
  return `${home}.${secret}`;
}


/** Where a token's session lives: its handle, and for a caller's token in a user's home, its alias. */
export interface TokenPlacement {
  readonly handle: string;
  /** The handle the token names by itself, when the session lives elsewhere (see above). */
  readonly alias?: string | undefined;
}

/**
 * The handle of a new session with this token. An issued token carries its home; a caller's token
 * goes to `home` (its user's) or, anonymous, to its own digest's home.
 */
export function placeToken(token: string, home: string | undefined, sha256: Sha256): TokenPlacement | Promise<TokenPlacement> {
  return afterHash(sha256(token), (digest) => placement(token, home, digest.slice(0, DIGEST_LENGTH)));
}

/** The handle a token's digest names by itself: its own home (the digest's first characters), then the digest. */
function ownHandle(digest: string): string {
  return `${digest.slice(0, HOME_LENGTH)}.${digest}`;
}

function placement(token: string, home: string | undefined, digest: string): TokenPlacement {
  if (isIssuedToken(token)) return { handle: `${homeOf(token)}.${digest}` };
  const own = ownHandle(digest);
  if (home === undefined) return { handle: own };
  const handle = `${home}.${digest}`;
  return handle === own ? { handle } : { handle, alias: own };
}

/**
 * The handle to look a token up by: the session's own for an issued token, the token's own (which
 * the store follows when it is an alias) for a caller's. `undefined` for text that is no token.
 */
export function lookupHandle(token: unknown, sha256: Sha256): string | undefined | Promise<string | undefined> {
  if (!isIssuedToken(token) && !isCallerToken(token)) return undefined;
  return afterHash(sha256(token), (digest) => placement(token, undefined, digest.slice(0, DIGEST_LENGTH)).handle);
}

/**
 * The handle a caller's token names by itself (its alias, when its session lives in a user's
 * home) given the session's handle: both end in the token's digest, so no hashing is needed.
 */
export function ownHandleOf(handle: string): string {
  return ownHandle(handle.slice(HOME_LENGTH + 1));
}
