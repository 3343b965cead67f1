import { decodeCursorText, encodeCursorText } from './cursor-text.js';
import { InvalidInputError } from './errors.js';

/**
 * The one listing-cursor format of every store: URL-safe base64 of the JSON array `[position]` for the
 * listing of all sessions, `[position, userId]` for one user's. The position is the store's own
 * (where its listing resumes) and opaque here; binding it to the listing that issued it means a
 * cursor replayed on another listing is refused instead of silently skipping sessions.
 *
 * Cursors are client input: decoding accepts only the exact text encoding would produce, so a
 * cursor tampered into another shape, truncated, padded or re-encoded is refused.
 */

/** The cursor that resumes the listing of `userId` (of everyone when `undefined`) at `position`. */
export function encodePageCursor(userId: string | undefined, position: string): string {
  return encodeCursorText(userId === undefined ? [position] : [position, userId]);
}

/**
 * The position a cursor names, provided the listing of `userId` (everyone's when `undefined`)
 * issued it and the store's `isPosition` accepts it (every store of this project resumes after
 * a session handle: `isSessionHandle`); throws `InvalidInputError('cursor')` for anything else.
 */
export function decodePageCursor(
  cursor: string,
  userId: string | undefined,
  isPosition: (position: string) => boolean,
): string {
  const value = decodeCursorText(cursor);
  if (value === undefined || typeof value[0] !== 'string') throw invalidCursor();
  const position = value[0];
  if (encodePageCursor(userId, position) !== cursor || !isPosition(position)) throw invalidCursor();
  return position;
}

/** The error for a cursor this listing did not issue. */
export function invalidCursor(): InvalidInputError {
  return new InvalidInputError('cursor', 'is not a cursor this listing issued');
}
