import { decodePageCursor, encodePageCursor, homeOf, isSessionHandle } from '../../core/index.js';
import { isLogItemId } from './event-items.js';
import { isLeaseId } from './user-lease.js';

// Both listings resume after a session handle: a Scan of the table at the key `{ home, id }`,
// a Query of one user's home at the same key. The core's cursor binds the handle to its listing,
// so another listing's cursor is refused, and only a well-formed handle (of the listed home,
// for a user's listing) ever reaches DynamoDB as a start key. A page that DynamoDB stopped
// reading on a user's lease item (see user-lease.ts) resumes after that item's id; a Scan of
// the table may also stop on an item of the event log (event-items.ts), whose partitions only
// the listing of everyone reads.

/** The cursor that resumes the listing of `userId` (everyone's when undefined) after this id. */
export function encodeCursor(id: string, userId: string | undefined): string {
  return encodePageCursor(userId, id);
}

/**
 * The handle (or lease id) a cursor of that listing resumes after, in `home` when one is given; throws
 * `InvalidInputError('cursor')` for anything else.
 */
export function decodeCursor(cursor: string, userId: string | undefined, home?: string): string {
  return decodePageCursor(cursor, userId, (id) => (isSessionHandle(id) || isLeaseId(id) || (home === undefined && isLogItemId(id))) && (home === undefined || homeOf(id) === home));
}
