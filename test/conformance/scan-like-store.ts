import { isLive, type Page, type PageRequest, type Session } from '../../core/index.js';
import { copy, decodeCursor, encodeCursor, PlainSessionStore } from './mutants/plain-session-store.js';

/**
 * An honest store that pages the way a DynamoDB Scan does: each page reads `limit` held items,
 * expired ones included, and returns the live ones among them, with a cursor whenever it read
 * a full page, even if nothing follows. It gives every session once, but neither full pages nor
 * a null cursor at the end: it must declare both.
 */
export class ScanLikeStore extends PlainSessionStore {
  protected override page(held: readonly Session[], { limit, cursor }: PageRequest, now: number): Page {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const read = held
      .filter((session) => after === undefined || session.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    const last = read.at(-1);
    return {
      sessions: read.filter((session) => isLive(session, now)).map(copy),
      nextCursor: read.length === limit && last ? encodeCursor(last.id) : null,
    };
  }
}
