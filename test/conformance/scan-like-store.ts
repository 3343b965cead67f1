import { fillPage, isLive, type Page, type PageRequest, type Session } from '../../core/index.js';
import { copy, dataBytes, decodeCursor, encodeCursor, PlainSessionStore } from './mutants/plain-session-store.js';

/**
 * An honest store that pages the way a DynamoDB Scan or a bounded index walk does: each page
 * reads `limit` held items, expired ones included, and returns the live ones among them (as many
 * as the byte bound lets it), with a cursor whenever it read a full page, even if nothing
 * follows. Pages are short, even empty, and the last cursor may lead to an empty page: port v2
 * allows both, so the suite must pass it with its default options.
 */
export class ScanLikeStore extends PlainSessionStore {
  protected override page(held: readonly Session[], page: PageRequest, now: number, userId: string | undefined): Page {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, userId);
    const read = held
      .filter((session) => after === undefined || session.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, page.limit);
    const { taken, more } = fillPage(
      read.filter((session) => isLive(session, now)),
      page,
      dataBytes,
    );
    const last = more ? taken.at(-1) : read.at(-1);
    return {
      sessions: taken.map(copy),
      nextCursor: (more || read.length === page.limit) && last ? encodeCursor(last.id, userId) : null,
    };
  }
}
