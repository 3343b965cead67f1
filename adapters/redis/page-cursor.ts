import { InvalidInputError, isSessionId } from '../../core/index.js';

// The same cursor as the in-memory store (the last id of a page, URL-safe base64), so both
// stores answer every listing identically.

/** The cursor that resumes a listing after this id. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'latin1').toString('base64url');
}

/** The id a cursor resumes after; throws `InvalidInputError('cursor')` for anything else. */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('latin1');
  if (!isSessionId(id) || encodeCursor(id) !== cursor) {
    throw new InvalidInputError('cursor', 'is not a cursor this service issued');
  }
  return id;
}
