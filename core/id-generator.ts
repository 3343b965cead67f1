/** Makes session ids. The default draws UUID v4 from the platform's CSPRNG (122 random bits). */
export interface IdGenerator {
  /** A new, unguessable session id. */
  next(): string;
}

/** UUID v4 from `crypto.randomUUID`, the Web Crypto CSPRNG. */
export const randomUuidGenerator: IdGenerator = { next: () => globalThis.crypto.randomUUID() };

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True when `value` has the form of a session id (lower-case UUID v4). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && UUID_V4.test(value);
}
