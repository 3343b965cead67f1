import * as z from 'zod';
import {
  AUTH_METHODS_MAX,
  DEVICE_MAX,
  IP_TEXT_MAX,
  isPlainObject,
  MAX_AUTH_AGE_SECONDS_MAX,
  PAGE_LIMIT_MAX,
  ROTATION_GRACE_MAX_SECONDS,
  SESSION_EVENT_REASONS,
  SESSION_EVENT_TYPES,
  USER_AGENT_MAX,
  type JsonObject,
} from '../../core/index.js';

// The forms of handles and caller tokens, as core/session-handle.ts defines them (the document
// states them as patterns; the core stays the one that decides).
const HANDLE_PATTERN = '^[A-Za-z0-9_-]{4}\\.[A-Za-z0-9_-]{22}$';
const CALLER_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,256}$/;

// One schema per request and response: the route table validates with them and the OpenAPI
// document is generated from them, so the two cannot drift apart.

// The object is taken as parsed, not rebuilt: a rebuilt record would drop keys like `__proto__`
// that the API promises to store as plain data. The core checks depth and size.
const sessionData = z
  .custom<JsonObject>((value) => isPlainObject(value), { message: 'must be a JSON object' })
  .meta({
    description: 'Any JSON object; keys and values are stored as sent.',
    override: { type: 'object', additionalProperties: true },
    examples: [{ cart: ['sku-1'], theme: 'dark' }],
  });

const EXAMPLE_ID = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';

// A session's context, flat beside its data. The core checks each field (the address parsed
// and normalised, text well-formed, the time not in the future); these state the bounds.
const contextFields = {
  ip: z.string().min(1).max(IP_TEXT_MAX).meta({ description: 'The client’s IPv4 or IPv6 address; stored in normal form (RFC 5952).', examples: ['203.0.113.7'] }),
  userAgent: z.string().min(1).max(USER_AGENT_MAX).meta({ description: 'The client’s User-Agent.', examples: ['Mozilla/5.0 (X11; Linux x86_64)'] }),
  device: z.string().min(1).max(DEVICE_MAX).meta({ description: 'A label for the device.', examples: ['Ada’s phone'] }),
  authMethods: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,31}$/))
    .min(1)
    .max(AUTH_METHODS_MAX)
    .meta({ description: 'How the user authenticated, in order; no repeats.', examples: [['password', 'webauthn']] }),
};

/** The device context as a create or a rotation takes it: flat and optional, field by field. */
const contextBody = {
  ip: contextFields.ip.optional(),
  userAgent: contextFields.userAgent.optional(),
  device: contextFields.device.optional(),
  authenticatedAt: z.iso
    .datetime()
    .optional()
    .meta({ description: 'When the user last authenticated (ISO-8601 UTC); not in the future.', examples: ['2026-01-01T00:00:00.000Z'] }),
  authMethods: contextFields.authMethods.optional(),
};

/** `POST /sessions` */
export const createSessionBody = z
  .strictObject({
    userId: z.string().min(1).max(256).optional().meta({ description: 'Whose session this is; absent for an anonymous session.', examples: ['user-42'] }),
    token: z
      .string()
      .regex(CALLER_TOKEN_PATTERN, 'must be 22 to 256 characters of A-Z, a-z, 0-9, - and _')
      .optional()
      .meta({
        description: 'The caller\u2019s own token (for example an express-session sid); only its hash is stored. 409 when another session has it.',
        examples: ['s3cr3t-express-session-sid_0123'],
      }),
    data: sessionData.optional(),
    ttlSeconds: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional().meta({ description: 'This session\u2019s own lifetime, within the policy maximum.' }),
    ...contextBody,
  })
  .meta({
    id: 'CreateSession',
    description: 'A new session.',
    examples: [
      {
        userId: 'user-42',
        data: { theme: 'dark' },
        ttlSeconds: 3600,
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        authenticatedAt: '2026-01-01T00:00:00.000Z',
        authMethods: ['password', 'webauthn'],
      },
    ],
  });

/** `POST /sessions/{id}/rotate` (the body is optional: none is `{}`) */
export const rotateSessionBody = z
  .strictObject({
    userId: z.string().min(1).max(256).optional().meta({
      description: 'Binds an anonymous session to this user (a login). The session\u2019s own user is fine; another user is 409.',
      examples: ['user-42'],
    }),
    graceSeconds: z.int().min(0).max(ROTATION_GRACE_MAX_SECONDS).optional().meta({
      description: 'How long the old token still resolves, to the new session (requests in flight); default 0. Never past the session\u2019s life.',
      examples: [10],
    }),
    // A login says when and how the user authenticated: given fields replace the session's own.
    ...contextBody,
  })
  .meta({ id: 'RotateSession', description: 'How to rotate a session.', examples: [{ graceSeconds: 10 }, { userId: 'user-42', graceSeconds: 10 }] });

/** `PUT /sessions/{id}` and `PATCH /sessions/{id}` */
export const sessionDataBody = z
  .strictObject({ data: sessionData })
  .meta({ id: 'SessionData', description: 'The data to store, or to merge by RFC 7386.', examples: [{ data: { theme: 'light' } }] });

/** How many items a page holds, 1 to PAGE_LIMIT_MAX, as a query parameter. */
const pageLimit = (items: string) =>
  z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(PAGE_LIMIT_MAX))
    .optional()
    .meta({ description: `${items} per page, 1 to ${PAGE_LIMIT_MAX} (default 100).`, examples: ['100'] });

/** The query of both listings. */
export const pageQuery = z.strictObject({
  limit: pageLimit('Sessions'),
  cursor: z.string().max(2048).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
});

/** The longest `GET /events` waits for an event, in seconds. */
export const EVENTS_WAIT_MAX_SECONDS = 30;

/** The query of `GET /events`. */
export const eventsQuery = z.strictObject({
  // Its form and content are the event log's to check (a position per partition of the store).
  after: z.string().optional().meta({ description: 'The `cursor` of the previous answer; absent: from the oldest event kept.' }),
  limit: pageLimit('Events'),
  waitSeconds: z
    .string()
    .regex(/^[0-9]{1,2}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(0).max(EVENTS_WAIT_MAX_SECONDS))
    .optional()
    .meta({
      description: `When no event is new, wait up to this many seconds (0 to ${EVENTS_WAIT_MAX_SECONDS}, default 0) for one before answering an empty page.`,
      examples: ['20'],
    }),
});

/** The query of the reads of one session. */
export const readQuery = z.strictObject({
  maxAuthAgeSeconds: z
    .string()
    .regex(/^[0-9]{1,8}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().max(MAX_AUTH_AGE_SECONDS_MAX))
    .optional()
    .meta({
      description:
        'Answer only if the user authenticated at most this many seconds ago (0 to 31536000); 403 reauthentication-required otherwise, and when the session does not say when.',
      examples: ['300'],
    }),
});

/** The path of the routes of one session. */
export const sessionIdPath = z.strictObject({
  // Validated as any string: an id that is no handle names no session, a 404 like an unknown one
  // (as before v2). The pattern tells clients the form; `current` never has it, so it cannot clash.
  id: z.string().meta({ description: 'The session\u2019s handle: 4 and 22 base64url characters around a dot.', examples: [EXAMPLE_ID], override: { type: 'string', pattern: HANDLE_PATTERN } }),
});

/** The header of `GET /sessions/current`: the token, which never travels in a URL. */
export const sessionTokenHeader = z.object({
  'Session-Token': z.string().meta({ description: 'The token the create answer carried. Required: without it the request is a 400.', examples: ['Qx3f.2b1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0'] }),
});

/** The path of the routes of one user's sessions. */
export const userIdPath = z.strictObject({
  userId: z.string().meta({ description: 'The user id, percent-encoded.', examples: ['user-42'] }),
});

const ifMatch = z.string().optional().meta({
  description: 'Write only if the session is at one of these versions (its ETags, like "3", "4"), or `*` for any; 412 otherwise.',
  examples: ['"1"'],
});
const ifNoneMatch = z.string().optional().meta({
  description: 'Write only if the session is at none of these versions; `*` never holds for an existing session, so it is 412.',
  examples: ['*'],
});

/** The conditional headers of a write (RFC 9110 §13.1). */
export const writeConditions = z.object({ 'If-Match': ifMatch, 'If-None-Match': ifNoneMatch });

/** The conditional header of a read: 304 when the session is still at a version the client has. */
export const readConditions = z.object({
  'If-None-Match': z.string().optional().meta({
    description: 'The ETags the client has (like "3", or `*`): 304 without a body when the session is at one of them.',
    examples: ['"1"'],
  }),
});

/** The ETag a session answer carries. */
export const etagHeader = z.object({
  ETag: z.string().meta({ description: 'The session\u2019s version as a strong entity tag, e.g. "3".', examples: ['"1"'] }),
});

/** The ETag and Location of a created session. */
export const createdHeaders = etagHeader.extend({
  Location: z.string().meta({ description: 'The new session\u2019s path.', examples: [`/sessions/${EXAMPLE_ID}`] }),
});

const instant = z.iso.datetime({ precision: 3 }).meta({ description: 'ISO-8601 UTC with milliseconds.', examples: ['2026-01-01T00:00:00.000Z'] });

/** A session on the wire. */
export const wireSession = z
  .strictObject({
    id: z.string().regex(new RegExp(HANDLE_PATTERN)).meta({ description: 'The handle: public, listed, used in paths.', examples: [EXAMPLE_ID] }),
    userId: z.string().optional().meta({ description: 'Absent for an anonymous session.', examples: ['user-42'] }),
    data: sessionData,
    createdAt: instant,
    updatedAt: instant,
    lastActiveAt: instant.meta({
      description: 'When the user was last seen: createdAt, then each refresh that wrote (a refresh within the touch interval writes nothing).',
    }),
    expiresAt: instant,
    version: z.int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ examples: [1] }),
    ip: contextFields.ip.optional(),
    userAgent: contextFields.userAgent.optional(),
    device: contextFields.device.optional(),
    authenticatedAt: instant.optional(),
    authMethods: contextFields.authMethods.optional(),
  })
  .meta({ id: 'Session', description: 'A session on the wire; its context fields (ip to authMethods) only when it was created with them.' });

/** The answer of `POST /sessions`: the session and its token, which no other answer carries. */
export const createdSession = wireSession
  .extend({
    token: z.string().meta({ description: 'The credential: send it as Session-Token. Shown only here, stored only hashed.' }),
    evicted: z
      .array(z.string())
      .meta({ description: 'Handles of the user\u2019s sessions this create ended to stay within SESSION_MAX_PER_USER (usually empty).' }),
  })
  .meta({ id: 'CreatedSession', description: 'A new session with its token.' });

/** One page of a listing. */
export const sessionPage = z
  .strictObject({
    sessions: z.array(wireSession),
    count: z.int().min(0).max(PAGE_LIMIT_MAX),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .meta({ id: 'SessionPage', description: 'One page of a listing.' });

/** `DELETE /sessions/{id}` */
export const sessionDeleted = z
  .strictObject({ deleted: z.literal(true), id: z.string().regex(new RegExp(HANDLE_PATTERN)).meta({ examples: [EXAMPLE_ID] }) })
  .meta({ id: 'SessionDeleted', description: 'The session that was ended.' });

/** `DELETE /sessions/user/{userId}` */
/** `DELETE /sessions/user/{userId}`: the session to keep, for log out other devices. */
export const deleteUserQuery = z.strictObject({
  except: z
    .string()
    .regex(new RegExp(HANDLE_PATTERN), 'must be a session handle')
    .optional()
    .meta({ description: 'The handle of the one session to keep (the caller\u2019s own): log out other devices.', examples: [EXAMPLE_ID] }),
});

/** `GET /sessions/user/{userId}/count` */
export const userSessionCount = z
  .strictObject({ count: z.int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .meta({ id: 'UserSessionCount', description: 'How many of the user\u2019s sessions are live.', examples: [{ count: 3 }] });

export const userSessionsDeleted = z
  .strictObject({ deleted: z.int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .meta({ id: 'UserSessionsDeleted', description: 'How many live sessions were ended.', examples: [{ deleted: 2 }] });

const handle = z.string().regex(new RegExp(HANDLE_PATTERN));

/** The fields of a lifecycle event on the wire, each with what it says; which a type carries, `wireEvent` and the webhooks say. */
export const eventFields = {
  id: z.string().min(1).meta({ description: 'Unique within the store: a receiver that sees an id twice has seen the same event twice.' }),
  type: z.enum(SESSION_EVENT_TYPES),
  time: instant.meta({ description: 'When it happened; for session.expired, the session\u2019s deadline (expiresAt).' }),
  recordedAt: instant.optional().meta({ description: 'session.expired only: when a sweeper claimed it (recordedAt - time is the expiry lag).' }),
  sessionId: handle.meta({ description: 'The session\u2019s handle (for session.rotated, the new one).', examples: [EXAMPLE_ID] }),
  userId: z.string().optional().meta({ description: 'Absent for an anonymous session.', examples: ['user-42'] }),
  version: z.int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ description: 'The version after the change (for a deletion or an expiry, the one it had).', examples: [2] }),
  reason: z.enum(SESSION_EVENT_REASONS).optional().meta({
    description:
      'session.updated: replace or patch. session.deleted: logout (DELETE by handle), logout-everywhere, logout-others, evicted (the user\u2019s cap), rotated (the old handle of a rotation).',
  }),
  previousId: handle.optional().meta({ description: 'session.rotated only: the old handle.' }),
  graceUntil: instant.optional().meta({ description: 'session.deleted with reason rotated: until when the old token still resolves (exclusive).' }),
};

/** A lifecycle event on the wire: in `GET /events` and in every webhook. Never a token, never data. */
export const wireEvent = z
  .strictObject(eventFields)
  .meta({
    id: 'SessionEvent',
    description: 'What happened to a session. Each type carries the fields its description names; a field it does not have is absent, never null.',
    examples: [{ id: '0-1', type: 'session.updated', time: '2026-01-01T00:00:00.000Z', sessionId: EXAMPLE_ID, userId: 'user-42', version: 2, reason: 'patch' }],
  });

/** `GET /events` */
export const eventPage = z
  .strictObject({
    events: z.array(wireEvent).max(PAGE_LIMIT_MAX),
    cursor: z.string().min(1).meta({ description: 'Pass as `after` for the events after these; there is always one (the log goes on).' }),
  })
  .meta({ id: 'EventPage', description: 'Events in order (a session\u2019s in the order they happened), and where to read on.' });

/** `GET /health`, `GET /ready` */
export const probeStatus = z
  .strictObject({ status: z.enum(['ok', 'ready']) })
  .meta({ id: 'ProbeStatus', description: 'What a probe found.', examples: [{ status: 'ok' }] });

/** RFC 9457 problem details: the body of every error. */
export const problemDetails = z
  .strictObject({
    type: z.string().meta({ examples: ['urn:session-api:problem:not-found'] }),
    title: z.string().meta({ examples: ['Session not found'] }),
    status: z.int().min(400).max(599).meta({ examples: [404] }),
    detail: z.string().meta({ examples: ['session not found'] }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
