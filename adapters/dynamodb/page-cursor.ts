import { decodePageCursor, encodePageCursor, homeOf, isSessionHandle } from '../../core/index.js';

// Both listings resume after a session handle: a Scan of the table at the key `{ home, id }`,
// a Query of one user's home at the same key. The core's cursor binds the handle to its listing,
// so another listing's cursor is refused, and only a well-formed handle (of the listed home,
// for a user's listing) ever reaches DynamoDB as a start key.

/** The cursor that resumes the listing of `userId` (everyone's when undefined) after this id. */
export function encodeCursor(id: string, userId: string | undefined): string {
  return encodePageCursor(userId, id);
}

/**
 * The handle a cursor of that listing resumes after, in `home` when one is given; throws
 * `InvalidInputError('cursor')` for anything else.
 */
export function decodeCursor(cursor: string, userId: string | undefined, home?: string): string {
  return decodePageCursor(cursor, userId, (id) => isSessionHandle(id) && (home === undefined || homeOf(id) === home));
}
