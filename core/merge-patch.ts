import { defineKey, isPlainObject, type JsonObject, type JsonValue } from './json.js';

/**
 * Applies an RFC 7386 JSON merge patch: objects merge key by key, `null` removes a key, anything
 * else replaces. Returns a new value; neither argument is changed.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isPlainObject(patch)) return patch;
  const result: JsonObject = {};
  if (isPlainObject(target)) {
    for (const [key, value] of Object.entries(target)) defineKey(result, key, value);
  }
  for (const [key, value] of Object.entries(patch as JsonObject)) {
    if (value === null) {
      delete result[key];
    } else {
      const current = Object.hasOwn(result, key) ? result[key] : undefined;
      defineKey(result, key, applyMergePatch(current, value));
    }
  }
  return result;
}
