import { randomFillSync } from 'node:crypto';
import type { SecretGenerator } from '../core/index.js';

const SECRET_BYTES = 32;
// Secrets drawn per refill; Node's own randomUUID batches its entropy 128 at a time too.
const SECRETS_PER_REFILL = 128;

/**
 * 256-bit secrets from Node's CSPRNG, as `[A-Za-z0-9_-]{43}` like the core's default, but drawn
 * many at a time: the core's `crypto.getRandomValues` per secret cost about 9 µs of every
 * create (a trip through Web Crypto and OpenSSL per call), a slice of a pool `randomFillSync`
 * fills costs under half a microsecond. Each slice is handed out once. The core cannot import
 * `node:crypto`, so the service passes this one in, as it does `nodeSha256`.
 */
export function nodeSecretGenerator(): SecretGenerator {
  const pool = Buffer.alloc(SECRET_BYTES * SECRETS_PER_REFILL);
  let offset = pool.length;
  return {
    next() {
      if (offset === pool.length) {
        randomFillSync(pool);
        offset = 0;
      }
      const secret = pool.toString('base64url', offset, offset + SECRET_BYTES);
      offset += SECRET_BYTES;
      return secret;
    },
  };
}
