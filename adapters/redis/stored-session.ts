import { type JsonObject, type Session, type SessionContext } from '../../core/index.js';

/**
 * How a session is stored: ONE string, its header fields in `STORED_FIELDS` order, each followed
 * by `FIELD_SEPARATOR` (a control character: userIds hold none and JSON escapes them), then the
 * data's JSON text. A string rather than a hash: GET is Redis's cheapest read, and the value is
 * smaller than a hash's (no field names). The scripts read fields by the positions
 * lua-prelude.ts generates from this list, so the order is written here only.
 *
 * `alias` is the handle of the session's alias ('' for none), so whoever removes the session can
 * remove its alias; `userId` is '' for an anonymous session (a userId is never empty); `context`
 * is the context's JSON text, '' for none (JSON escapes control characters, so it never holds
 * the separator, and the update script carries it over as it carries every field).
 * A key holding `ALIAS_MARK<handle>` is an alias naming that session's handle.
 */
export const STORED_FIELDS = ['version', 'createdAt', 'updatedAt', 'lastActiveAt', 'expiresAt', 'ttl', 'alias', 'userId', 'context'] as const;
export const FIELD_SEPARATOR = '\u001f';
export const ALIAS_MARK = '>';
/**
 * Starts the `alias` field of a session a rotation across slots wrote but has not confirmed yet:
 * `?<old handle>`. It is live only once the old handle's key holds the forwarder naming it (see
 * RedisSessionStore.rotate); until then no reader knows its handle.
 */
export const PENDING_MARK = '?';
/** Separates the old handle from the end of its grace in a pending session's `alias` field. */
const PENDING_GRACE = '@';

/**
 * The `alias` field of a pending session: `?<old handle>@<end of grace>`, so that whoever finds it
 * in the way of a session cap can finish the rotation with the very forwarder it would write.
 */
export function pendingAlias(oldId: string, graceUntil: number): string {
  return `${PENDING_MARK}${oldId}${PENDING_GRACE}${graceUntil}`;
}

/**
 * What a pending session's `alias` field says: the old handle, and the end of the grace (`undefined`
 * in a field written before it was kept there: such a rotation can be confirmed, not finished by another).
 */
export function pendingOf(alias: string): { readonly oldId: string; readonly graceUntil: number | undefined } | undefined {
  if (!alias.startsWith(PENDING_MARK)) return undefined;
  const body = alias.slice(PENDING_MARK.length);
  const at = body.indexOf(PENDING_GRACE);
  return at < 0 ? { oldId: body, graceUntil: undefined } : { oldId: body.slice(0, at), graceUntil: Number(body.slice(at + 1)) };
}

/** The value of the alias a rotation leaves at the old handle: `><new handle>SEP<end of grace>`. */
export function forwarderValue(handle: string, graceUntil: number): string {
  return `${ALIAS_MARK}${handle}${FIELD_SEPARATOR}${graceUntil}`;
}

/** What an alias value names, and until when (a rotation's forwarder; `Infinity` for a token's alias). */
export function aliasTarget(value: string): { readonly target: string; readonly until: number } {
  const body = value.slice(ALIAS_MARK.length);
  const end = body.indexOf(FIELD_SEPARATOR);
  return end < 0 ? { target: body, until: Infinity } : { target: body.slice(0, end), until: Number(body.slice(end + 1)) };
}

type FieldName = (typeof STORED_FIELDS)[number];

/** The stored header of a session: its fields, each followed by the separator. */
export function encodeHeader(session: Omit<Session, 'data' | 'id'>, alias: string | undefined): string {
  const values: Record<FieldName, string> = {
    version: String(session.version),
    createdAt: String(session.createdAt),
    updatedAt: String(session.updatedAt),
    lastActiveAt: String(session.lastActiveAt),
    expiresAt: String(session.expiresAt),
    ttl: String(session.ttl),
    alias: alias ?? '',
    userId: session.userId ?? '',
    context: session.context === undefined ? '' : JSON.stringify(session.context),
  };
  let header = '';
  for (const name of STORED_FIELDS) header += values[name] + FIELD_SEPARATOR;
  return header;
}

/** What a stored value says, without its data parsed yet. */
export interface StoredHeader {
  readonly fields: Readonly<Record<FieldName, string>>;
  /** Where the data's JSON text starts in the value. */
  readonly dataStart: number;
}

/** The header of a stored value; `undefined` for an alias. */
export function decodeHeader(value: string): StoredHeader | undefined {
  if (value.startsWith(ALIAS_MARK)) return undefined;
  const fields = {} as Record<FieldName, string>;
  let at = 0;
  for (const name of STORED_FIELDS) {
    const end = value.indexOf(FIELD_SEPARATOR, at);
    if (end < 0) throw new Error('a stored session is missing fields');
    fields[name] = value.slice(at, end);
    at = end + 1;
  }
  return { fields, dataStart: at };
}

/** The session a header describes, with `data`. */
export function sessionOf(handle: string, header: StoredHeader, data: JsonObject): Session {
  const { fields } = header;
  // Field by field: an object made by spreading takes V8's slow copy wherever it is copied later.
  const session: { -readonly [K in keyof Session]: Session[K] } = {
    id: handle,
    data,
    createdAt: Number(fields.createdAt),
    updatedAt: Number(fields.updatedAt),
    lastActiveAt: Number(fields.lastActiveAt),
    expiresAt: Number(fields.expiresAt),
    version: Number(fields.version),
    ttl: Number(fields.ttl),
  };
  if (fields.userId !== '') session.userId = fields.userId;
  if (fields.context !== '') session.context = JSON.parse(fields.context) as SessionContext;
  return session;
}

/** The session a stored value holds (`undefined` for an alias), with its data's size in bytes. */
export function decodeSession(handle: string, value: string): { session: Session; alias: string } | undefined {
  const header = decodeHeader(value);
  if (header === undefined) return undefined;
  // JSON.parse defines keys as own data properties, so a "__proto__" key stays plain data. The
  // text is not noted as the object's (json-text.ts): whoever holds a read session may change its
  // data in place, and measured, noting saved a GET nothing.
  return { session: sessionOf(handle, header, JSON.parse(value.slice(header.dataStart)) as JsonObject), alias: header.fields.alias };
}
