import { checkCursor, jsonByteLength, PAGE_MAX_BYTES_DEFAULT, type Page, type PageRequest, type Session } from '../../core/index.js';
import { StoreMismatchError } from '../mismatch.js';
import { sessionDifference, show } from '../same-session.js';

/**
 * Pages a listing may take beyond one per session created in the run. Pages may be short, even
 * empty (a store stops reading a backlog of expired entries, or a shard of a cluster holds
 * nothing), but a listing must end: each page has to move past at least one held entry, and a
 * run holds fewer entries than it created, apart from a few empty shards.
 */
const SPARE_PAGES = 32;

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
  /** Which create made the session at this handle: tells a session from one created again there. */
  incarnation(handle: string): number;
  /** The most pages a walk may take before it counts as endless. */
  maxPages(): number;
}

/** The most pages a walk may take when `created` sessions were created in the run. */
export const maxPagesFor = (created: number): number => created + SPARE_PAGES;

/** The data bytes a page rule counts for a session. */
const dataBytes = (session: Session): number => jsonByteLength(session.data);

/** One page's request in a plan. */
function requestOf(plan: PagePlan, index: number, cursor: string | undefined): { request: PageRequest; describe: string } {
  const limit = plan.limits[Math.min(index, plan.limits.length - 1)]!;
  const request = { limit, ...(cursor === undefined ? {} : { cursor }), ...(plan.maxBytes === undefined ? {} : { maxBytes: plan.maxBytes }) };
  return { request, describe: `page ${index + 1} (limit ${limit}${plan.maxBytes === undefined ? '' : `, maxBytes ${plan.maxBytes}`})` };
}

/**
 * The sessions a page shows, checked to be live in the listing now, each as the model holds it;
 * the page within its limit and (past its first session) its byte bound; its cursor of the form
 * the core lets through.
 */
function checkShown(where: string, page: Page, request: PageRequest, listing: Listing): Session[] {
  const maxBytes = request.maxBytes ?? PAGE_MAX_BYTES_DEFAULT;
  if (!Array.isArray(page?.sessions)) throw new StoreMismatchError(where, `not a page: ${show(page)}`);
  if (page.sessions.length > request.limit) {
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

/**
 * Pages through a quiescent listing and checks the union of the pages against the live sessions
 * the model expects: every one exactly once and exactly as written, nothing dead or foreign, no
 * page over its limit or (past its first session) its byte bound, and an end within the bound
 * on pages. Pages may be short or empty, and a cursor may lead only to empty pages: the port
 * allows both so that no page walks an unbounded backlog of expired entries.
 */
export async function walkPages(listing: Listing, plan: PagePlan): Promise<void> {
  const wanted = new Set(listing.live().map((session) => session.id));
  const seen = new Set<string>();
  let cursor: string | undefined;
  const maxPages = listing.maxPages();
  for (let index = 0; index < maxPages; index++) {
    const { request, describe } = requestOf(plan, index, cursor);
    const where = `${listing.name}, ${describe}`;
    const page = await listing.read(request);
    for (const session of checkShown(where, page, request, listing)) {
      if (seen.has(session.id)) throw new StoreMismatchError(where, `shows ${session.id} a second time`);
      seen.add(session.id);
    }
    if (page.nextCursor === null) {
      const missed = [...wanted].filter((id) => !seen.has(id));
      if (missed.length > 0) throw new StoreMismatchError(where, `ends the listing but never showed ${missed.join(', ')}`);
      return;
    }
    cursor = page.nextCursor;
  }
  throw new StoreMismatchError(listing.name, `still paging after ${maxPages} pages (seen ${seen.size} of ${wanted.size} sessions)`);
}

/**
 * Pages through a listing while `between(i, shown)` runs other calls after page `i`, which
 * showed `shown` (writes, deletes, clock steps). Every session that stays live in the listing
 * through the whole pass must show exactly once; whatever shows must be live in the listing when
 * its page is read, as the model holds it then, and show at most once.
 */
export async function walkPagesWhile(
  listing: Listing,
  plan: PagePlan,
  between: (pageIndex: number, shown: readonly Session[]) => Promise<void>,
): Promise<void> {
  const incarnationOf = (session: Session) => `${session.id}#${listing.incarnation(session.id)}`;
  // The sessions live now and, so far, at every page read since: the ones that must show.
  let watched = new Map(listing.live().map((session) => [session.id, incarnationOf(session)]));
  const seen = new Set<string>();
  let cursor: string | undefined;
  let shown: readonly Session[] = [];
  for (let index = 0; index < listing.maxPages(); index++) {
    if (index > 0) {
      await between(index - 1, shown);
      const live = new Set(listing.live().map(incarnationOf));
      watched = new Map([...watched].filter(([, written]) => live.has(written)));
    }
    const { request, describe } = requestOf(plan, index, cursor);
    const where = `${listing.name} while other calls run, ${describe}`;
    const page = await listing.read(request);
    shown = checkShown(where, page, request, listing);
    for (const session of shown) {
      if (seen.has(incarnationOf(session))) throw new StoreMismatchError(where, `shows ${session.id} a second time`);
      seen.add(incarnationOf(session));
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
  throw new StoreMismatchError(listing.name, `still paging after ${listing.maxPages()} pages`);
}
