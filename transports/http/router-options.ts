/**
 * Paths match exactly: case-sensitive (RFC 3986 §6.2.2.1 leaves only the scheme and host
 * case-insensitive) and without an optional trailing slash. A lenient match once let
 * `GET /SESSIONS` reach a route that a string comparison did not guard.
 */
export const ROUTER_OPTIONS = { sensitive: true, strict: true } as const;
