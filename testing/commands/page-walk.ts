import { checkCursor, type Page, type PageRequest, type Session } from '../../core/index.js';
import type { StoreLimitations } from '../check-options.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';

// Each page reads at least one held item, and a run holds at most a few dozen.
const MAX_PAGES = 64;

/**
 * Pages through a listing with the given page sizes (the last one repeats) and checks the
 * union of the pages against the live sessions the model expects: no duplicates, nothing live
 * missed, nothing dead or foreign shown, every session exactly as written. Unless the store
 * declared otherwise, each page is as full as it can be and the last cursor is `null`.
 */
export async function walkPages(
  operation: string,
  readPage: (request: PageRequest) => Promise<Page>,
  limits: readonly number[],
  expected: readonly Session[],
  lacks: StoreLimitations,
): Promise<void> {
  const wanted = new Map(expected.map((session) => [session.id, session]));
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let index = 0; index < MAX_PAGES; index++) {
    const limit = limits[Math.min(index, limits.length - 1)]!;
    const where = `${operation}, page ${index + 1} (limit ${limit})`;
    const page = await readPage(cursor === undefined ? { limit } : { limit, cursor });
    if (!Array.isArray(page?.sessions)) throw new StoreMismatchError(where, `not a page: ${show(page)}`);
    if (page.sessions.length > limit) {
      throw new StoreMismatchError(where, `holds ${page.sessions.length} sessions, more than the limit`);
    }
    const left = wanted.size - seen.size;
    for (const session of page.sessions) {
      const id = (session as Partial<Session> | undefined)?.id;
      if (typeof id === 'string' && seen.has(id)) throw new StoreMismatchError(where, `shows ${id} a second time`);
      const model = typeof id === 'string' ? wanted.get(id) : undefined;
      if (model === undefined) {
        throw new StoreMismatchError(where, `shows a session that is not live or not in this listing: ${show(session)}`);
      }
      const difference = sessionDifference(session, model);
      if (difference !== undefined) throw new StoreMismatchError(where, difference);
      seen.add(model.id);
    }
    if (!lacks.fullPages && page.sessions.length < Math.min(limit, left)) {
      throw new StoreMismatchError(
        where,
        `holds ${page.sessions.length} sessions while ${left} live ones were left (declare lacks.fullPages if pages may be short)`,
      );
    }
    const missed = [...wanted.keys()].filter((id) => !seen.has(id));
    if (page.nextCursor === null) {
      if (missed.length > 0) throw new StoreMismatchError(where, `ends the listing but never showed ${missed.join(', ')}`);
      return;
    }
    if (typeof page.nextCursor !== 'string') throw new StoreMismatchError(where, `cursor ${show(page.nextCursor)} is not a string`);
    try {
      // The core refuses any cursor outside this form, so a store must only issue such cursors.
      checkCursor(page.nextCursor);
    } catch {
      throw new StoreMismatchError(where, `cursor ${show(page.nextCursor)} is not URL-safe base64 of 1 to 2048 characters`);
    }
    if (missed.length === 0 && !lacks.nullCursorAtEnd) {
      throw new StoreMismatchError(
        where,
        'carries a cursor although no live session follows (declare lacks.nullCursorAtEnd if that is expected)',
      );
    }
    cursor = page.nextCursor;
  }
  throw new StoreMismatchError(operation, `still paging after ${MAX_PAGES} pages`);
}
