import { fromBase64Url, toBase64Url } from './base64url.js';

/**
 * The text of every cursor: URL-safe base64 of a JSON array. Decoding is strict about bytes
 * (`fatal`: text that is not UTF-8 is refused, not replaced by U+FFFD); each cursor format then
 * re-encodes what it read and refuses anything but that exact text.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The cursor text of `parts`. */
export function encodeCursorText(parts: readonly unknown[]): string {
  return toBase64Url(encoder.encode(JSON.stringify(parts)));
}

/** The array a cursor text holds, or `undefined` when it is not base64url of UTF-8 JSON of an array. */
export function decodeCursorText(cursor: string): readonly unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(fromBase64Url(cursor)));
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
