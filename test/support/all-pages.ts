/** One page of a listing, as a store, the service or the HTTP API answers it. */
export interface CursorPage {
  readonly nextCursor: string | null;
}

/**
 * Every page of a listing, first to last: `read(undefined)`, then `read` of each `nextCursor`
 * until one is null. A listing still going after `maxPages` pages fails the test instead of
 * hanging it or being cut short unseen.
 */
export async function allPages<P extends CursorPage>(read: (cursor: string | undefined) => Promise<P>, maxPages = 10_000): Promise<P[]> {
  const pages: P[] = [];
  let cursor: string | undefined;
  while (pages.length < maxPages) {
    const page = await read(cursor);
    pages.push(page);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error(`the listing did not end within ${maxPages} pages`);
}

/** The ids of the sessions a listing showed, page after page. */
export function idsOf(pages: readonly { readonly sessions: readonly { readonly id: string }[] }[]): string[] {
  return pages.flatMap((page) => page.sessions.map((session) => session.id));
}

/** The query of one page of an HTTP listing: `?limit=…`, and the cursor after the first page. */
export function pageQuery(limit: number, cursor: string | undefined): string {
  return `?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
}
