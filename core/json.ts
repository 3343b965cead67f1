/** A JSON value, as session data holds it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object: the shape of a session's `data`. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** True for a plain object (not an array, not null, not a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets an own property even when the key is `__proto__`: plain assignment would replace the
 * prototype instead, which is how prototype pollution gets in.
 */
export function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * How deeply a JSON value nests (a scalar is 0, `{}` is 1), or `Infinity` once it passes
 * `limit` or holds anything JSON cannot carry (undefined, functions, NaN, class instances).
 */
export function jsonDepth(value: unknown, limit: number): number {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : Infinity;
  if (limit <= 0) return Infinity;
  let children: unknown[];
  if (Array.isArray(value)) children = value;
  else if (isPlainObject(value)) children = Object.values(value);
  else return Infinity;
  let deepest = 0;
  for (const child of children) {
    deepest = Math.max(deepest, jsonDepth(child, limit - 1));
    if (deepest === Infinity) return Infinity;
  }
  return deepest + 1;
}

/**
 * True when every string in a JSON value, keys included, is well-formed Unicode: no lone
 * surrogate. Call it on a value whose depth is already bounded.
 */
export function isWellFormedJson(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (Array.isArray(value)) return value.every(isWellFormedJson);
  if (isPlainObject(value)) return Object.entries(value).every(([key, child]) => key.isWellFormed() && isWellFormedJson(child));
  return true;
}

const encoder = new TextEncoder();

/** The size in UTF-8 bytes of a value's JSON text. */
export function jsonByteLength(value: JsonValue): number {
  return utf8Length(JSON.stringify(value));
}

/** The size of text in UTF-8 bytes. */
export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
