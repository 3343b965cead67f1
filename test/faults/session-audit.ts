import { expect } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { isSessionHandle, type JsonObject } from '../../core/index.js';
import { allPages, pageQuery } from '../support/all-pages.js';
import { isAllowed, type MixedLoad } from './mixed-load.js';

/** What an audit found; every list must be empty. */
export interface AuditResult {
  /** Sessions the load tracked and the audit read back. */
  readonly checked: number;
  /** Acknowledged, not deleted, and gone. */
  readonly lost: string[];
  /** Present, but not in a state the service acknowledged (or not whole). */
  readonly corrupt: string[];
  /** Deleted with a 200, and back. */
  readonly resurrected: string[];
  /** Shown by a listing, but a read of the id does not return the same whole session. */
  readonly listedButUnreadable: string[];
  /** Live and readable by its handle, but its token does not resolve to the same session. */
  readonly unresolvable: string[];
  /** Live and readable, but missing from its user's listing or the full listing. */
  readonly missingFromListing: string[];
  /** How many sessions the full listing showed. */
  readonly listed: number;
}

interface WireSession {
  id: string;
  userId: string;
  data: JsonObject;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  version: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True when a session on the wire has every field, of the right form, with consistent times. */
export function isWhole(value: unknown): value is WireSession {
  const s = value as Partial<WireSession> | undefined;
  return (
    s !== undefined &&
    isSessionHandle(s.id) &&
    // The token is answered once, by the create: never by a read or a listing.
    !('token' in s) &&
    typeof s.userId === 'string' &&
    s.userId.length > 0 &&
    typeof s.data === 'object' &&
    s.data !== null &&
    !Array.isArray(s.data) &&
    [s.createdAt, s.updatedAt, s.expiresAt].every((t) => typeof t === 'string' && ISO.test(t)) &&
    Date.parse(s.createdAt!) <= Date.parse(s.updatedAt!) &&
    Date.parse(s.updatedAt!) < Date.parse(s.expiresAt!) &&
    Number.isInteger(s.version) &&
    s.version! >= 1
  );
}

async function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

async function pageAll(url: string, path: string, headers: Record<string, string>): Promise<WireSession[]> {
  const pages = await allPages(async (cursor) => {
    const page = await getJson(`${url}${path}${pageQuery(250, cursor)}`, headers);
    if (page.status !== 200) throw new Error(`listing ${path} answered ${page.status}`);
    return page.body as { sessions: WireSession[]; nextCursor: string | null };
  });
  return pages.flatMap((page) => page.sessions);
}

/**
 * Reads back every session the load tracked and holds it against what was acknowledged, then
 * checks the indexes: whatever the full listing or a user's listing shows must be readable by id
 * as the same whole session, and every live session must be in both listings.
 */
export async function auditSessions(url: string, load: MixedLoad, headers: Record<string, string> = {}): Promise<AuditResult> {
  const result: AuditResult = {
    checked: 0,
    lost: [],
    corrupt: [],
    resurrected: [],
    listedButUnreadable: [],
    unresolvable: [],
    missingFromListing: [],
    listed: 0,
  };
  const live = new Set<string>();
  const tracked = [...load.sessions.values()];
  await inBatches(tracked, 16, async (session) => {
    const read = await getJson(`${url}/sessions/${session.id}`, headers);
    (result as { checked: number }).checked++;
    if (read.status === 404) {
      const mayBeGone = session.deleted || session.uncertain?.kind === 'delete';
      if (!mayBeGone) result.lost.push(session.id);
      return;
    }
    if (read.status !== 200) throw new Error(`audit read answered ${read.status}`);
    if (session.deleted) result.resurrected.push(session.id);
    else if (!isWhole(read.body) || !isAllowed(session, read.body)) result.corrupt.push(session.id);
    else {
      live.add(session.id);
      // The store keeps the token only as the handle's hash: it must still lead to the session.
      const resolved = await getJson(`${url}/sessions/current`, { ...headers, 'session-token': session.token });
      if (resolved.status !== 200 || !isDeepStrictEqual(resolved.body, read.body)) result.unresolvable.push(session.id);
    }
  });

  const everything = await pageAll(url, '/sessions', headers);
  (result as { listed: number }).listed = everything.length;
  const byUser = new Map<string, WireSession[]>();
  for (const session of tracked) byUser.set(session.userId, []);
  await inBatches([...byUser.keys()], 8, async (userId) => {
    byUser.set(userId, await pageAll(url, `/sessions/user/${encodeURIComponent(userId)}`, headers));
  });
  const listedSessions = [...everything, ...[...byUser.values()].flat()];
  await inBatches(listedSessions, 16, async (listed) => {
    const read = await getJson(`${url}/sessions/${listed.id}`, headers);
    if (read.status !== 200 || !isWhole(read.body) || !isDeepStrictEqual(read.body, listed)) result.listedButUnreadable.push(listed.id);
  });
  const inFull = new Set(everything.map((s) => s.id));
  for (const [userId, sessions] of byUser) {
    const inUser = new Set(sessions.map((s) => s.id));
    for (const session of tracked) {
      if (session.userId === userId && live.has(session.id) && !(inUser.has(session.id) && inFull.has(session.id))) {
        result.missingFromListing.push(session.id);
      }
    }
  }
  return result;
}

/** Fails unless the audit found every acknowledged session whole, and nothing it should not. */
export function expectNothingLost(audit: AuditResult): void {
  expect(audit.lost).toEqual([]);
  expect(audit.corrupt).toEqual([]);
  expect(audit.resurrected).toEqual([]);
  expect(audit.listedButUnreadable).toEqual([]);
  expect(audit.unresolvable).toEqual([]);
  expect(audit.missingFromListing).toEqual([]);
}
