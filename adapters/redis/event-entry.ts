import type { SessionEvent, SessionEventReason, SessionEventType } from '../../core/index.js';

/**
 * How an event is stored: one entry of its partition's stream (`<prefix>{<p>}:events`), written
 * by the very script that makes the change. Entries are kept small (one letter per field name
 * and per type or reason; recording is a write on every change): the scripts write them with the
 * names lua-prelude.ts generates from this file, and `decodeEventEntry` reads them back.
 *
 * The entry's stream id is `<ms>-<seq>` with `<ms>` the core's `now` of the change, so retention
 * trims by the core's time (`MINID`). Redis refuses an id below the stream's last one (a process
 * whose clock is behind another's): such an entry takes the last id's ms instead and keeps its
 * own `now` in `n`. So `time` is `t`, else `n`, else the id's ms.
 */

/** The entry's field names. */
export const ENTRY_FIELDS = {
  type: 'e',
  sessionId: 's',
  userId: 'u',
  version: 'v',
  reason: 'r',
  previousId: 'p',
  graceUntil: 'g',
  /** The event's time when it is not the recording time (a `session.expired`: the deadline). */
  time: 't',
  /** The recording time when it is not the id's ms (see above). */
  recordedAt: 'n',
} as const;

/** The letter of each type. */
export const TYPE_CODES: Readonly<Record<SessionEventType, string>> = {
  'session.created': 'c',
  'session.updated': 'u',
  'session.refreshed': 'f',
  'session.rotated': 'r',
  'session.deleted': 'd',
  'session.expired': 'x',
};

/** The letter of each reason. */
export const REASON_CODES: Readonly<Record<SessionEventReason, string>> = {
  replace: 'r',
  patch: 'p',
  logout: 'l',
  'logout-everywhere': 'e',
  'logout-others': 'o',
  evicted: 'v',
  rotated: 't',
};

const TYPES = new Map(Object.entries(TYPE_CODES).map(([type, code]) => [code, type as SessionEventType]));
const REASONS = new Map(Object.entries(REASON_CODES).map(([reason, code]) => [code, reason as SessionEventReason]));

/** The event an entry of partition `partition` holds; its id is `<partition>-<stream id>`. */
export function decodeEventEntry(partition: number, streamId: string, flat: readonly string[]): SessionEvent {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  const type = TYPES.get(fields.get(ENTRY_FIELDS.type) ?? '');
  if (type === undefined) throw new Error(`event ${partition}-${streamId} has no known type`);
  const recorded = Number(fields.get(ENTRY_FIELDS.recordedAt) ?? streamId.slice(0, streamId.indexOf('-')));
  const time = fields.get(ENTRY_FIELDS.time);
  const reason = fields.get(ENTRY_FIELDS.reason);
  const grace = fields.get(ENTRY_FIELDS.graceUntil);
  const userId = fields.get(ENTRY_FIELDS.userId);
  const previousId = fields.get(ENTRY_FIELDS.previousId);
  return {
    id: `${partition}-${streamId}`,
    type,
    time: time === undefined ? recorded : Number(time),
    ...(type === 'session.expired' ? { recordedAt: recorded } : {}),
    sessionId: fields.get(ENTRY_FIELDS.sessionId) ?? '',
    ...(userId === undefined ? {} : { userId }),
    version: Number(fields.get(ENTRY_FIELDS.version) ?? 0),
    ...(reason === undefined ? {} : { reason: REASONS.get(reason) }),
    ...(previousId === undefined ? {} : { previousId }),
    ...(grace === undefined ? {} : { graceUntil: Number(grace) }),
  };
}
