import { InvalidInputError, PayloadTooLargeError } from './errors.js';
import { isPlainObject, jsonShape, textByteLength, type JsonObject } from './json.js';
import { jsonTextVerdict, takeVouchedText, withJsonText } from './json-text.js';

/** Bounds on what a caller may store. */
export interface SessionLimits {
  /** The largest `data`, in UTF-8 bytes of its JSON text. */
  readonly maxDataBytes: number;
  /** How deeply `data` may nest (`{}` is depth 1). */
  readonly maxDepth: number;
  /**
   * The most bytes of session data one page of a listing holds (default 4 MiB), so that a
   * listing of large sessions never makes one huge store reply or response.
   */
  readonly maxPageBytes?: number;
}

/** The most bytes of session data a page holds unless the service's limits say otherwise. */
export const PAGE_MAX_BYTES_DEFAULT = 4 * 1024 * 1024;

/** 64 KiB of data nested at most 32 deep, pages of at most 4 MiB. */
export const defaultSessionLimits: SessionLimits = { maxDataBytes: 65_536, maxDepth: 32, maxPageBytes: PAGE_MAX_BYTES_DEFAULT };

/** The most sessions one page may hold. */
export const PAGE_LIMIT_MAX = 1000;
/** How many sessions a page holds when the caller does not say. */
export const PAGE_LIMIT_DEFAULT = 100;

/** The longest user id, in UTF-16 units. */
export const USER_ID_MAX = 256;
// Control characters in a user id would end up in logs and store keys; nothing needs them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
// An event cursor holds a position per partition of the store (up to 4,096 in Redis).
const EVENT_CURSOR = /^[A-Za-z0-9_-]{1,131072}$/;

// A lone surrogate (a UTF-16 half with no partner) is not text. Stores hold UTF-8, and encoding
// one there turns it into U+FFFD, so "x\ud800" and "x\ufffd" would name the same user in Redis
// and DynamoDB (hardening item 4). Refusing it here keeps every store's strings exact.
const NOT_TEXT = 'must be well-formed Unicode (a lone surrogate is not text)';

/** Checks a user id: 1 to 256 characters, well-formed Unicode, no control characters. */
export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > USER_ID_MAX) {
    throw new InvalidInputError('userId', `must be a string of 1 to ${USER_ID_MAX} characters`);
  }
  if (!userId.isWellFormed()) throw new InvalidInputError('userId', NOT_TEXT);
  if (CONTROL.test(userId)) throw new InvalidInputError('userId', 'must not contain control characters');
  return userId;
}

/**
 * Checks session data: a JSON object within the depth and size limits, all its strings text.
 * Its JSON text, made to count its bytes, is kept for the store and the answer (see json-text.ts).
 */
export function checkData(data: unknown, limits: SessionLimits): JsonObject {
  if (!isPlainObject(data)) throw new InvalidInputError('data', 'must be a JSON object');
  // The parse of JSON text (jsonObjectForm) holds JSON values only: one scan of its text tells
  // the rest; any other object is walked once.
  const vouched = takeVouchedText(data);
  const verdict = vouched === undefined ? undefined : jsonTextVerdict(vouched, limits.maxDepth);
  const { tooDeep, loneSurrogate } = verdict ?? objectVerdict(data, limits.maxDepth);
  if (tooDeep) throw new InvalidInputError('data', `must be JSON nested at most ${limits.maxDepth} deep`);
  if (loneSurrogate) throw new InvalidInputError('data', `keys and strings ${NOT_TEXT}`);
  const text = vouched ?? JSON.stringify(data);
  const size = verdict?.bytes ?? textByteLength(text);
  if (size > limits.maxDataBytes) throw new PayloadTooLargeError(size, limits.maxDataBytes);
  return withJsonText(data as JsonObject, text);
}

/** What one walk of an object says against the depth limit, as {@link jsonTextVerdict} says it of text. */
function objectVerdict(data: object, maxDepth: number): { readonly tooDeep: boolean; readonly loneSurrogate: boolean } {
  const shape = jsonShape(data, maxDepth);
  return { tooDeep: shape.depth > maxDepth, loneSurrogate: !shape.wellFormed };
}

/** Checks a requested lifetime in whole seconds and returns it in milliseconds. */
export function checkTtlSeconds(ttlSeconds: unknown, maxTtl: number): number {
  const maxSeconds = Math.floor(maxTtl / 1000);
  if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxSeconds) {
    throw new InvalidInputError('ttlSeconds', `must be a whole number from 1 to ${maxSeconds}`);
  }
  return ttlSeconds * 1000;
}

/** Checks a page size, defaulting to 100. */
export function checkLimit(limit: unknown): number {
  if (limit === undefined) return PAGE_LIMIT_DEFAULT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
    throw new InvalidInputError('limit', `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`);
  }
  return limit;
}

/** Checks that a cursor has the form of one (URL-safe base64); the store checks its content. */
export function checkCursor(cursor: unknown): string | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor !== 'string' || !CURSOR.test(cursor)) {
    throw new InvalidInputError('cursor', 'is not a cursor this service issued');
  }
  return cursor;
}

/** Checks that an event-log cursor has the form of one (URL-safe base64); the log checks its content. */
export function checkEventCursor(cursor: unknown): string | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor !== 'string' || !EVENT_CURSOR.test(cursor)) {
    throw new InvalidInputError('cursor', 'is not a cursor of this event log');
  }
  return cursor;
}

/** Checks a version a caller expects (from If-Match): a positive integer. */
export function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new InvalidInputError('version', 'must be a positive whole number');
  }
  return version;
}

/**
 * Checks what a conditional write expects: one version or a non-empty list, any of which will
 * do (If-Match: "1", "2"). Returns the list, or `undefined` when the write is unconditional.
 */
export function checkExpectedVersions(expected: unknown): readonly number[] | undefined {
  if (expected === undefined) return undefined;
  if (!Array.isArray(expected)) return [checkVersion(expected)];
  if (expected.length === 0) throw new InvalidInputError('version', 'must name at least one version');
  return expected.map(checkVersion);
}
