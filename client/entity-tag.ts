/** The strong entity tag of a session version, as `If-Match` and `If-None-Match` take it: `ifMatch(3)` is `"3"`. */
export function ifMatch(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError('a session version is a whole number of at least 1');
  return `"${version}"`;
}

/** The version an `ETag` header names (`"3"` is 3), or `undefined` when it names none. */
export function versionOfEtag(etag: string | null): number | undefined {
  const match = /^"([1-9][0-9]{0,15})"$/.exec(etag ?? '');
  const version = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return Number.isSafeInteger(version) ? version : undefined;
}
