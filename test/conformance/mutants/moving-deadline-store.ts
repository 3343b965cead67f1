import {
  decodePageCursor,
  encodePageCursor,
  fillPage,
  jsonByteLength,
  type Page,
  type PageRequest,
  type Session,
} from '../../../core/index.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * Mutant: a user's listing is ordered by deadline, then id, and resumes after the last
 * (deadline, id) shown, as DynamoDB's user index ranged by `expiresAtMs` did. Every page is
 * right on its own; but a session extended after it was shown moves behind the cursor and
 * shows again.
 */
export class MovingDeadlineStore extends DelegatingStore {
  override async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const after = page.cursor === undefined ? undefined : positionOf(decodePageCursor(page.cursor, userId, isPosition));
    const all = await this.inner.listByUser(userId, { limit: 1000, maxBytes: Number.MAX_SAFE_INTEGER }, now);
    const following = [...all.sessions]
      .sort(byDeadline)
      .filter((session) => after === undefined || byDeadline(session, after) > 0);
    const { taken, more } = fillPage(following, page, (session) => jsonByteLength(session.data));
    const last = taken.at(-1);
    return { sessions: taken, nextCursor: more && last ? encodePageCursor(userId, `${last.expiresAt} ${last.id}`) : null };
  }
}

const POSITION = /^(\d{1,16}) ([A-Za-z0-9_-]{4}\.[A-Za-z0-9_-]{22})$/;

function isPosition(position: string): boolean {
  return POSITION.test(position);
}

function positionOf(position: string): Pick<Session, 'expiresAt' | 'id'> {
  const [, expiresAt, id] = POSITION.exec(position) ?? [];
  return { expiresAt: Number(expiresAt), id: id ?? '' };
}

function byDeadline(a: Pick<Session, 'expiresAt' | 'id'>, b: Pick<Session, 'expiresAt' | 'id'>): number {
  if (a.expiresAt !== b.expiresAt) return a.expiresAt - b.expiresAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
