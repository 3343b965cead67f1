import { decodePageCursor, encodePageCursor, isSessionId } from '../../core/index.js';

// The core's cursor with the last id of a page as its position, as the in-memory store's, so
// both stores answer every listing identically and refuse a cursor of another listing.

/** The cursor that resumes the listing of `userId` (everyone's when undefined) after this id. */
export function encodeCursor(id: string, userId: string | undefined): string {
  return encodePageCursor(userId, id);
}

/** The id a cursor of that listing resumes after; throws `InvalidInputError('cursor')` for anything else. */
export function decodeCursor(cursor: string, userId: string | undefined): string {
  return decodePageCursor(cursor, userId, isSessionId);
}
