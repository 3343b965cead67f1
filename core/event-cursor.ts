import { fromBase64Url, toBase64Url } from './base64url.js';
import { InvalidInputError } from './errors.js';

/**
 * The one event-log cursor format of every store: URL-safe base64 of the JSON array
 * `["events", ...positions]`, one position per part of the log (a Redis partition's stream id,
 * the memory log's sequence number, …), opaque here. The leading tag keeps a listing's cursor
 * from ever passing for an event cursor, and the other way round.
 *
 * Cursors are client input: decoding accepts only the exact text encoding would produce.
 */

const TAG = 'events';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The cursor that resumes an event log after `positions`. */
export function encodeEventCursor(positions: readonly string[]): string {
  return toBase64Url(encoder.encode(JSON.stringify([TAG, ...positions])));
}

/**
 * The positions a cursor names, provided an event log issued it and the store's `isPositions`
 * accepts them (their number and form); throws `InvalidInputError('cursor')` otherwise.
 */
export function decodeEventCursor(cursor: string, isPositions: (positions: readonly string[]) => boolean): readonly string[] {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(fromBase64Url(cursor)));
  } catch {
    throw invalidEventCursor();
  }
  if (!Array.isArray(value) || value[0] !== TAG || !value.every((part) => typeof part === 'string')) throw invalidEventCursor();
  const positions = (value as string[]).slice(1);
  if (encodeEventCursor(positions) !== cursor || !isPositions(positions)) throw invalidEventCursor();
  return positions;
}

/** The error for a cursor no event log of this store issued. */
export function invalidEventCursor(): InvalidInputError {
  return new InvalidInputError('cursor', 'is not a cursor this event log issued');
}
