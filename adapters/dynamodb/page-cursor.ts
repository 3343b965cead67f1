import { InvalidInputError, isSessionId } from '../../core/index.js';

/** Where a Scan of the table resumes: the table's key. */
export interface TableKey {
  readonly id: string;
}

/** Where a Query of the user index resumes: the index key plus the table key. */
export interface UserIndexKey {
  readonly id: string;
  readonly userId: string;
  readonly expiresAtMs: number;
}

/** A cursor for a page of `list`. */
export function encodeTableCursor(key: TableKey): string {
  return encode({ id: key.id });
}

/** A cursor for a page of `listByUser`. */
export function encodeUserIndexCursor(key: UserIndexKey): string {
  return encode({ id: key.id, userId: key.userId, expiresAtMs: key.expiresAtMs });
}

/**
 * The key a `list` cursor names. Anything but exactly `{ id: <uuid> }` is refused, so a caller
 * can never make us start a Scan at a key of their choosing.
 */
export function decodeTableCursor(cursor: string): TableKey {
  const key = decode(cursor, ['id']);
  if (!isSessionId(key['id'])) throw invalidCursor();
  return { id: key['id'] };
}

/** The key a `listByUser` cursor names; it must belong to `userId`. */
export function decodeUserIndexCursor(cursor: string, userId: string): UserIndexKey {
  const key = decode(cursor, ['expiresAtMs', 'id', 'userId']);
  const { id, expiresAtMs } = key;
  if (!isSessionId(id) || key['userId'] !== userId) throw invalidCursor();
  if (typeof expiresAtMs !== 'number' || !Number.isSafeInteger(expiresAtMs) || expiresAtMs < 0) {
    throw invalidCursor();
  }
  return { id, userId, expiresAtMs };
}

function encode(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The JSON object a cursor holds, with exactly `names` (sorted) as its keys. */
function decode(cursor: string, names: readonly string[]): Record<string, unknown> {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Base64url decoding skips what it cannot read; only a cursor we could have written passes.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidCursor();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
  const keys = Object.keys(value).sort();
  if (keys.length !== names.length || keys.some((key, i) => key !== names[i])) throw invalidCursor();
  return value as Record<string, unknown>;
}

function invalidCursor(): InvalidInputError {
  return new InvalidInputError('cursor', 'is not a cursor this service issued');
}
