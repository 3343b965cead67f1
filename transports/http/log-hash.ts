import { createHash } from 'node:crypto';

/**
 * What logs show instead of a session id: enough to correlate lines, useless as a credential.
 */
export function logHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}
