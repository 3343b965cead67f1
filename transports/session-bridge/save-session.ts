import type { JsonObject, Session } from '../../core/index.js';
import type { SessionBridge } from './session-bridge.js';

/**
 * A save at the end of a request, for a framework that saves through `set` alone whether or not the
 * request changed anything (koa-session and @fastify/session when rolling): the bridge's throttled
 * `touch` when `session` is what this request loaded (`loaded`), its `set` otherwise. So a rolling
 * read costs at most one refresh per touch interval instead of a write per request, and a session
 * ended meanwhile stays ended either way (a touch never creates; a set given `loaded` neither).
 * `loaded` is `null` when the shell knows the request made this session (see `SessionBridge.set`).
 */
export function saveSession(bridge: SessionBridge, sid: string, session: object, ttlMs: number | undefined, loaded: Session | null | undefined): Promise<void> {
  if (loaded !== undefined && loaded !== null && sameJson(session, loaded.data)) return bridge.touch(sid, session);
  return bridge.set(sid, session, ttlMs, loaded);
}

// The loaded side came out of JSON: compare JSON forms, as the bridge stores them. An object that
// has none (a cycle) is not the same: the bridge's set then says what is wrong with it.
function sameJson(written: object, loaded: JsonObject): boolean {
  try {
    return JSON.stringify(written) === JSON.stringify(loaded);
  } catch {
    return false;
  }
}
