import { HttpProblem } from './problem.js';

const STRONG_VERSION_TAG = /^"([1-9][0-9]{0,14})"$/;

/**
 * The version an `If-Match` header names, `undefined` when there is none (or `*`, which any
 * existing session matches). Weak tags never match (RFC 9110 §13.1.1), so they are a 412 here.
 */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const match = STRONG_VERSION_TAG.exec(value);
  if (!match?.[1]) {
    throw new HttpProblem(
      412,
      'version-mismatch',
      'Version does not match',
      'If-Match must be one strong ETag of this API, like "3".',
    );
  }
  return Number(match[1]);
}
