import { checkCursor, jsonByteLength, PAGE_MAX_BYTES_DEFAULT, type Page, type PageRequest, type Session } from '../../core/index.js';
import type { StoreLimitations } from '../check-options.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';

// Each page reads at least one held item, and a run holds at most a few dozen.
const MAX_PAGES = 64;

/** How one pass pages: the first pages' sizes (the last one repeats) and a byte bound, if any. */
export interface PagePlan {
  readonly limits: readonly number[];
  /** `PageRequest.maxBytes`; `undefined` leaves it to the store's default (4 MiB). */
  readonly maxBytes: number | undefined;
}

/** One listing as the walk sees it. */
export interface Listing {
  /** For messages: `list at t3`. */
  readonly name: string;
  /** Reads one page of the store's listing. */
  read(request: PageRequest): Promise<Page>;
  /** What the model holds live in this listing right now. */
  live(): readonly Session[];
}

/** The data bytes a page rule counts for a session. */
const dataBytes = (session: Session): number => jsonByteLength(session.data);

/** The sessions a page shows, checked to be live in the listing now, each as the model holds it. */
function checkShown(where: string, page: Page, limit: number, maxBytes: number, listing: Listing): Session[] {
  if (!Array.isArray(page?.sessions)) throw new StoreMismatchError(where, `not a page: ${show(page)}`);
  if (page.sessions.length > limit) {
    throw new StoreMismatchError(where, `holds ${page.sessions.length} sessions, more than the limit`);
  }
  const live = new Map(listing.live().map((session) => [session.id, session]));
  const shown = page.sessions.map((session) => {
    const id = (session as Partial<Session> | undefined)?.id;
    const model = typeof id === 'string' ? live.get(id) : undefined;
    if (model === undefined) {
      throw new StoreMismatchError(where, `shows a session that is not live or not in this listing: ${show(session)}`);
    }
    const difference = sessionDifference(session, model);
    if (difference !== undefined) throw new StoreMismatchError(where, difference);
    return model;
  });
  const bytes = shown.reduce((sum, session) => sum + dataBytes(session), 0);
  if (shown.length > 1 && bytes > maxBytes) {
    throw new StoreMismatchError(where, `holds ${bytes} bytes of data in ${shown.length} sessions, more than maxBytes ${maxBytes}`);
  }
  if (page.nextCursor !== null) {
    if (typeof page.nextCursor !== 'string') throw new StoreMismatchError(where, `cursor ${show(page.nextCursor)} is not a string`);
    try {
      // The core refuses any cursor outside this form, so a store must only issue such cursors.
      checkCursor(page.nextCursor);
    } catch {
      throw new StoreMismatchError(where, `cursor ${show(page.nextCursor)} is not URL-safe base64 of 1 to 2048 characters`);
    }
  }
  return shown;
}

/** A session once written: a session deleted and created again under its id is another one. */
const incarnation = (session: Session): string => `${session.id}@${session.createdAt}`;

/**
 * Pages through a quiescent listing and checks the union of the pages against the live sessions
 * the model expects: no duplicates, nothing live missed, nothing dead or foreign shown, every
 * session exactly as written, no page over its limit or (past its first session) its byte bound.
 * Unless the store declared otherwise, each page is as full as those bounds let it be and the
 * last cursor is `null`.
 */
export async function walkPages(listing: Listing, plan: PagePlan, lacks: StoreLimitations): Promise<void> {
  const maxBytes = plan.maxBytes ?? PAGE_MAX_BYTES_DEFAULT;
  const wanted = new Map(listing.live().map((session) => [session.id, session]));
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let index = 0; index < MAX_PAGES; index++) {
    const limit = plan.limits[Math.min(index, plan.limits.length - 1)]!;
    const where = `${listing.name}, page ${index + 1} (limit ${limit}${plan.maxBytes === undefined ? '' : `, maxBytes ${maxBytes}`})`;
    const page = await listing.read({ limit, ...(cursor === undefined ? {} : { cursor }), ...(plan.maxBytes === undefined ? {} : { maxBytes }) });
    const left = [...wanted.values()].filter((session) => !seen.has(session.id));
    const shown = checkShown(where, page, limit, maxBytes, listing);
    for (const session of shown) {
      if (seen.has(session.id)) throw new StoreMismatchError(where, `shows ${session.id} a second time`);
      seen.add(session.id);
    }
    if (!lacks.fullPages && shown.length < Math.min(limit, left.length)) {
      // Short is right only where the next session would pass the byte bound; it is one of those left.
      const bytes = shown.reduce((sum, session) => sum + dataBytes(session), 0);
      const largestLeft = Math.max(...left.filter((session) => !seen.has(session.id)).map(dataBytes));
      if (shown.length === 0 || bytes + largestLeft <= maxBytes) {
        throw new StoreMismatchError(
          where,
          `holds ${shown.length} sessions (${bytes} bytes) while ${left.length} live ones were left (declare lacks.fullPages if pages may be short)`,
        );
      }
    }
    const missed = [...wanted.keys()].filter((id) => !seen.has(id));
    if (page.nextCursor === null) {
      if (missed.length > 0) throw new StoreMismatchError(where, `ends the listing but never showed ${missed.join(', ')}`);
      return;
    }
    if (missed.length === 0 && !lacks.nullCursorAtEnd) {
      throw new StoreMismatchError(
        where,
        'carries a cursor although no live session follows (declare lacks.nullCursorAtEnd if that is expected)',
      );
    }
    cursor = page.nextCursor;
  }
  throw new StoreMismatchError(listing.name, `still paging after ${MAX_PAGES} pages`);
}

/**
 * Pages through a listing while `between(i, shown)` runs other calls after page `i`, which
 * showed `shown` (writes, deletes, clock steps). Every session that stays live in the listing through the whole pass must show
 * exactly once; whatever shows must be live in the listing when its page is read, as the model
 * holds it then, and show at most once. Fullness is not checked: what was written meanwhile may
 * lie behind the cursor.
 */
export async function walkPagesWhile(
  listing: Listing,
  plan: PagePlan,
  between: (pageIndex: number, shown: readonly Session[]) => Promise<void>,
): Promise<void> {
  const maxBytes = plan.maxBytes ?? PAGE_MAX_BYTES_DEFAULT;
  // The sessions live now and, so far, at every page read since: the ones that must show.
  let watched = new Map(listing.live().map((session) => [session.id, incarnation(session)]));
  const seen = new Set<string>();
  let cursor: string | undefined;
  let shown: readonly Session[] = [];
  for (let index = 0; index < MAX_PAGES; index++) {
    if (index > 0) {
      await between(index - 1, shown);
      const live = new Set(listing.live().map(incarnation));
      watched = new Map([...watched].filter(([, written]) => live.has(written)));
    }
    const limit = plan.limits[Math.min(index, plan.limits.length - 1)]!;
    const where = `${listing.name} while other calls run, page ${index + 1} (limit ${limit}${plan.maxBytes === undefined ? '' : `, maxBytes ${maxBytes}`})`;
    const page = await listing.read({ limit, ...(cursor === undefined ? {} : { cursor }), ...(plan.maxBytes === undefined ? {} : { maxBytes }) });
    shown = checkShown(where, page, limit, maxBytes, listing);
    for (const session of shown) {
      if (seen.has(incarnation(session))) throw new StoreMismatchError(where, `shows ${session.id} a second time`);
      seen.add(incarnation(session));
    }
    if (page.nextCursor === null) {
      const missed = [...watched].filter(([, written]) => !seen.has(written)).map(([id]) => id);
      if (missed.length > 0) {
        throw new StoreMismatchError(where, `ends the listing but never showed ${missed.join(', ')}, live all along`);
      }
      return;
    }
    cursor = page.nextCursor;
  }
  throw new StoreMismatchError(listing.name, `still paging after ${MAX_PAGES} pages`);
}
