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
  return jsonShape(value, limit).depth;
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
// JSON text with no character past U+007F is as many UTF-8 bytes as it has characters.
// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/** The size in UTF-8 bytes of a value's JSON text. */
export function jsonByteLength(value: JsonValue): number {
  return textByteLength(JSON.stringify(value));
}

/** The size in UTF-8 bytes of a text; without the encoder's copy when it is all ASCII (the common case). */
export function textByteLength(text: string): number {
  return ASCII.test(text) ? text.length : encoder.encode(text).byteLength;
}

/**
 * What one walk of a value finds: how deeply it nests (as {@link jsonDepth}: `Infinity` past
 * `limit` or for anything JSON cannot carry) and, when it nests within `limit`, whether all its
 * strings are well-formed (as {@link isWellFormedJson}). One walk where the checks of session
 * data took two, each allocating the entries of every object.
 */
export function jsonShape(value: unknown, limit: number): { readonly depth: number; readonly wellFormed: boolean } {
  const shape = { depth: 0, wellFormed: true };
  shape.depth = walkShape(value, limit, shape);
  return shape;
}

function walkShape(value: unknown, limit: number, shape: { wellFormed: boolean }): number {
  if (typeof value === 'string') {
    if (shape.wellFormed && !value.isWellFormed()) shape.wellFormed = false;
    return 0;
  }
  if (value === null || typeof value === 'boolean') return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : Infinity;
  if (limit <= 0) return Infinity;
  let deepest = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      deepest = Math.max(deepest, walkShape(value[i], limit - 1, shape));
      if (deepest === Infinity) return Infinity;
    }
    return deepest + 1;
  }
  if (!isPlainObject(value)) return Infinity;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (shape.wellFormed && !key.isWellFormed()) shape.wellFormed = false;
    deepest = Math.max(deepest, walkShape(value[key], limit - 1, shape));
    if (deepest === Infinity) return Infinity;
  }
  return deepest + 1;
}
