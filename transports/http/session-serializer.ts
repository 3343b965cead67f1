import { takeJsonText, type Session, type SessionContext } from '../../core/index.js';
import { isoInstant as iso } from '../wire/iso-instant.js';

/**
 * The JSON of a session's wire form (`toWireSession`), written straight from the core session:
 * the hot path skips building the intermediate object. Only the free strings go through
 * `JSON.stringify`, and `data` only when its text is not known already (see json-text.ts); times
 * are ISO strings and the version an integer, which need no escaping. An anonymous session has
 * no `userId` field, and a session without context none of its fields, as in `toWireSession`. A
 * test holds it equal to `JSON.stringify(toWireSession(session))`.
 */
export function serializeWireSession(session: Session): string {
  return (
    `{"id":${JSON.stringify(session.id)}${session.userId === undefined ? '' : `,"userId":${JSON.stringify(session.userId)}`}` +
    `,"data":${takeJsonText(session.data)}` +
    `,"createdAt":"${iso(session.createdAt)}","updatedAt":"${iso(session.updatedAt)}","lastActiveAt":"${iso(session.lastActiveAt)}","expiresAt":"${iso(session.expiresAt)}"` +
    `,"version":${session.version}${session.context === undefined ? '' : contextFields(session.context)}}`
  );
}

function contextFields(context: SessionContext): string {
  let text = '';
  if (context.ip !== undefined) text += `,"ip":${JSON.stringify(context.ip)}`;
  if (context.userAgent !== undefined) text += `,"userAgent":${JSON.stringify(context.userAgent)}`;
  if (context.device !== undefined) text += `,"device":${JSON.stringify(context.device)}`;
  if (context.authenticatedAt !== undefined) text += `,"authenticatedAt":"${iso(context.authenticatedAt)}"`;
  if (context.authMethods !== undefined) text += `,"authMethods":${JSON.stringify(context.authMethods)}`;
  return text;
}
