import { decodePageCursor, encodePageCursor, isSessionHandle } from '../../core/index.js';

// Both listings resume after a session id: a Scan of the table at the key `{ id }`, a Query of
// the user index (ranged by id) at `{ userId, id }`, whose userId is the listing's own. The
// core's cursor binds the id to its listing, so another listing's cursor is refused, and only
// a well-formed id ever reaches DynamoDB as a start key.

/** The cursor that resumes the listing of `userId` (everyone's when undefined) after this id. */
export function encodeCursor(id: string, userId: string | undefined): string {
  return encodePageCursor(userId, id);
}

/** The id a cursor of that listing resumes after; throws `InvalidInputError('cursor')` for anything else. */
export function decodeCursor(cursor: string, userId: string | undefined): string {
  return decodePageCursor(cursor, userId, isSessionHandle);
}
