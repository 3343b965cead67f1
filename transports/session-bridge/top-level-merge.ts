import type { JsonObject, JsonValue } from '../../core/index.js';

/**
 * What a request's write means when another request wrote the same session since it loaded it:
 * the top-level keys this request changed (set, replaced or removed, compared with `base`, what
 * it loaded) applied to `current`, what is stored now. Keys it left alone keep the other
 * request's values, so two requests changing different keys both land; two changing the same
 * key: the later write wins that key.
 */
export function mergeTopLevel(base: JsonObject, written: JsonObject, current: JsonObject): JsonObject {
  const merged: Record<string, JsonValue> = { ...current };
  for (const [key, value] of Object.entries(written)) {
    if (!Object.hasOwn(base, key) || !sameJson(base[key], value)) merged[key] = value;
  }
  for (const key of Object.keys(base)) {
    if (!Object.hasOwn(written, key)) delete merged[key];
  }
  return merged;
}

// Both sides came out of JSON.parse of JSON.stringify, so equal values have equal texts.
function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
