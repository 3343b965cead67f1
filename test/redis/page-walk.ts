import type { Page } from '../../core/index.js';

/** Every page of a listing, first to last (at most `maxPages`). */
export async function allPages(read: (cursor: string | undefined) => Promise<Page>, maxPages = 10_000): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < maxPages);
  return pages;
}
