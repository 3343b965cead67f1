import type { JsonObject } from './json.js';

// The JSON text of data objects whose text is known already: the core's size check made it, or a
// store read the object from it. Whoever writes the object out next (a store's write, the HTTP
// answer) takes the text instead of a second `JSON.stringify`. Weak, so an entry goes with its
// object. A session's data is never changed in place once checked (sessions are values), so the
// text of an object stays its text.
const texts = new WeakMap<JsonObject, string>();

/**
 * Notes that `text` is the JSON text of `data`, exactly `JSON.stringify(data)` (so `JSON.parse`
 * of a text that `JSON.stringify` wrote, or the text the checks made); answers `data`.
 */
export function withJsonText<T extends JsonObject>(data: T, text: string): T {
  texts.set(data, text);
  return data;
}

/** `JSON.stringify(data)`, without stringifying again when the text is known. */
export function jsonTextOf(data: JsonObject): string {
  return texts.get(data) ?? JSON.stringify(data);
}
