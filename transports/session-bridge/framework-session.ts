import { InvalidInputError, jsonObjectForm, type JsonObject, type TtlPolicy } from '../../core/index.js';

/**
 * A framework's session object as the core stores it: its JSON form, as connect-redis keeps it
 * (`JSON.stringify`), so a `Date` (express-session's `cookie.expires`) becomes its ISO text and the
 * framework revives it on load. The core then checks it as any session data (size, depth), on the
 * text it was made from, which is also what the store writes: serialised once.
 */
export function storedForm(session: unknown): JsonObject {
  const value = jsonObjectForm(session);
  if (value === undefined) throw new InvalidInputError('session', 'must be an object');
  return value;
}

/**
 * The user a session object names in `field`: a string, or a finite number (apps often keep a
 * numeric id) as its decimal text; absent, `null` or `''` is an anonymous session.
 */
export function userOf(session: object, field: string): string | undefined {
  const value: unknown = (session as Record<string, unknown>)[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidInputError(field, 'must be a string or a number (the user the session belongs to)');
}

/**
 * The lifetime a session is created with, in the core's whole seconds: the cookie's remaining
 * life, rounded up (as connect-redis does), clamped to the policy's maximum; the policy's default
 * when the framework gives none. The absolute timeout caps it further when the core creates it.
 */
export function ttlSecondsFor(ttlMs: number | undefined, policy: TtlPolicy): number {
  const maxSeconds = Math.floor(policy.maxTtl / 1000);
  if (ttlMs === undefined || !Number.isFinite(ttlMs)) return Math.min(Math.ceil(policy.defaultTtl / 1000), maxSeconds);
  return Math.max(1, Math.min(Math.ceil(ttlMs / 1000), maxSeconds));
}
