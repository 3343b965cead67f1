import { decodeCursorText, encodeCursorText } from './cursor-text.js';
import { InvalidInputError } from './errors.js';

/**
 * The one event-log cursor format of every store: URL-safe base64 of the JSON array
 * `[0, ...positions]`, one position per part of the log (a Redis partition's stream id, the
 * memory log's sequence number, …), opaque here. The leading number keeps the two formats apart
 * by their shape: every listing cursor starts with a string (page-cursor.ts), so neither passes
 * for the other whatever the positions are.
 *
 * Cursors are client input: decoding accepts only the exact text encoding would produce.
 */

const TAG = 0;

/** The cursor that resumes an event log after `positions`. */
export function encodeEventCursor(positions: readonly string[]): string {
  return encodeCursorText([TAG, ...positions]);
}

/**
 * The positions a cursor names, provided an event log issued it and the store's `isPositions`
 * accepts them (their number and form); throws `InvalidInputError('cursor')` otherwise.
 */
export function decodeEventCursor(cursor: string, isPositions: (positions: readonly string[]) => boolean): readonly string[] {
  const value = decodeCursorText(cursor);
  if (value === undefined || value[0] !== TAG) throw invalidEventCursor();
  const positions = value.slice(1);
  if (!positions.every((part): part is string => typeof part === 'string')) throw invalidEventCursor();
  if (encodeEventCursor(positions) !== cursor || !isPositions(positions)) throw invalidEventCursor();
  return positions;
}

/** The error for a cursor no event log of this store issued. */
export function invalidEventCursor(): InvalidInputError {
  return new InvalidInputError('cursor', 'is not a cursor this event log issued');
}
