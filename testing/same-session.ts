import type { Session } from '../core/index.js';

const FIELDS = ['id', 'userId', 'data', 'createdAt', 'updatedAt', 'lastActiveAt', 'expiresAt', 'version', 'ttl', 'context'] as const;

/**
 * Equality of JSON values as a client sees them: object key order is free (DynamoDB maps do not
 * keep it), array order is not, and only own properties count.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (name) =>
      Object.hasOwn(b, name) &&
      sameJson(Object.getOwnPropertyDescriptor(a, name)?.value, Object.getOwnPropertyDescriptor(b, name)?.value),
  );
}

/**
 * How `actual` differs from the session the model expects, or `undefined` when it does not.
 * A store returns exactly the session's fields: anything extra would leak through every
 * transport built on the port.
 */
export function sessionDifference(actual: unknown, expected: Session): string | undefined {
  if (typeof actual !== 'object' || actual === null) return `expected ${show(expected)}, got ${show(actual)}`;
  const extra = Object.keys(actual).filter((name) => !(FIELDS as readonly string[]).includes(name));
  if (extra.length > 0) return `session ${expected.id} has fields the port does not know: ${extra.join(', ')}`;
  const record = actual as Record<string, unknown>;
  const wrong = FIELDS.filter((name) => !sameJson(record[name], expected[name]));
  if (wrong.length === 0) return undefined;
  return `session ${expected.id} differs in ${wrong
    .map((name) => `${name}: expected ${show(expected[name])}, got ${show(record[name])}`)
    .join('; ')}`;
}

/** JSON text for messages, with `undefined` spelled out. */
export function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
