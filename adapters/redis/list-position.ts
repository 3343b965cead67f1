import { decodePageCursor, encodePageCursor, invalidCursor, isSessionHandle } from '../../core/index.js';
import { MEMBER_SEPARATOR } from './key-layout.js';

/**
 * Where a listing resumes, in the core's one cursor codec. Everyone's listing: `<p>:<member>`, the
 * partition and the last index member examined there ('' for the partition's start). A user's
 * listing: the last handle examined (the user's partition is known from the userId).
 */
export interface ListPosition {
  encode(partition: number, member: string): string;
  decode(cursor: string): { partition: number; after: string };
  encodeUser(userId: string, handle: string): string;
  decodeUser(cursor: string, userId: string): string;
}

const POSITION = /^(0|[1-9][0-9]{0,3}):/;
// A member is `<userId>\0<handle>`; userIds hold no control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Positions of a store with `partitions` partitions. */
export function listPositions(partitions: number): ListPosition {
  const isMember = (member: string): boolean => {
    const at = member.indexOf(MEMBER_SEPARATOR);
    return at >= 0 && !CONTROL.test(member.slice(0, at)) && isSessionHandle(member.slice(at + 1));
  };
  const isPosition = (position: string): boolean => {
    const match = POSITION.exec(position);
    if (match === null || Number(match[1]) >= partitions) return false;
    const member = position.slice(match[0].length);
    return member === '' || isMember(member);
  };
  return {
    encode: (partition, member) => encodePageCursor(undefined, `${partition}:${member}`),
    decode(cursor) {
      const position = decodePageCursor(cursor, undefined, isPosition);
      const colon = position.indexOf(':');
      const partition = Number(position.slice(0, colon));
      if (!Number.isInteger(partition)) throw invalidCursor();
      return { partition, after: position.slice(colon + 1) };
    },
    encodeUser: (userId, handle) => encodePageCursor(userId, handle),
    decodeUser: (cursor, userId) => decodePageCursor(cursor, userId, isSessionHandle),
  };
}
