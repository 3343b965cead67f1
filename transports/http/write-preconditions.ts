import type { Session } from '../../core/index.js';
import { parseEntityTags, strongVersions, weaklyNames } from './entity-tags.js';
import { HttpProblem } from './problem.js';

/** The conditional headers of a write, as sent. */
export interface WriteConditionHeaders {
  readonly 'If-Match'?: string | undefined;
  readonly 'If-None-Match'?: string | undefined;
}

/** The versions a write may find (any of them), or `undefined` for any at all. */
export type ExpectedVersions = readonly number[] | undefined;

/**
 * Parses the conditional headers of a write before anything is read: a malformed one is a 400
 * that never reaches the store. Returns how to decide the version the write expects.
 */
export function writePreconditions(headers: WriteConditionHeaders): (current: () => Promise<Session>) => Promise<ExpectedVersions> {
  const ifMatch = parseEntityTags('If-Match', headers['If-Match'] || undefined);
  const ifNoneMatch = parseEntityTags('If-None-Match', headers['If-None-Match'] || undefined);
  // `*` holds for any existing session, and a write to a missing one is a 404 anyway.
  const allowed = ifMatch === undefined || ifMatch.any ? undefined : strongVersions(ifMatch.tags);
  if (allowed?.length === 0) throw failed('If-Match names no version of this API (weak tags never match).');
  return async (current) => {
    // The core checks a list within the write, atomically in the store.
    if (ifNoneMatch === undefined) return allowed;
    // RFC 9110 §13.2.2: If-Match first, then If-None-Match. Its condition is about the version
    // read here, so the write is pinned to that version: a change in between is a 412.
    const session = await current();
    if (ifNoneMatch.any || weaklyNames(ifNoneMatch.tags, session.version)) {
      throw failed(`If-None-Match names the current version ${session.version} (or *).`);
    }
    if (allowed !== undefined && !allowed.includes(session.version)) throw failed(`The session is at version ${session.version}.`);
    return [session.version];
  };
}

/** A precondition that does not hold. */
export function failed(detail: string): HttpProblem {
  return new HttpProblem('version-mismatch', detail);
}
