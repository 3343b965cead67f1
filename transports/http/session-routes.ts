import type { Session, SessionContext } from '../../core/index.js';
import {
  createdHeaders,
  createdSession,
  createSessionBody,
  rotateSessionBody,
  etagHeader,
  readConditions,
  readQuery,
  sessionDataBody,
  sessionDeleted,
  sessionIdPath,
  sessionTokenHeader,
  wireSession,
  writeConditions,
} from './api-schemas.js';
import { parseEntityTags, weaklyNames } from './entity-tags.js';
import { defineRoute, type Reply, type Route } from './route.js';
import { serializeWireSession } from './session-serializer.js';
import { etagOf } from './wire-session.js';
import { writePreconditions } from './write-preconditions.js';

const sessionAnswer = (description: string) => ({ description, schema: wireSession, headers: etagHeader });

function sessionReply(status: number, session: Session): Reply {
  return { status, body: serializeWireSession(session), headers: { ETag: etagOf(session) } };
}

/**
 * The answer of a create or a rotation: the session, then its token and what it evicted. The
 * serialiser reads only a session's own fields, so the created session goes to it as it is,
 * with no copy made to leave the token out.
 */
function createdReply(status: number, created: Session & { readonly token: string; readonly evicted: readonly string[] }): Reply {
  const wire = serializeWireSession(created);
  return {
    status,
    body: `${wire.slice(0, -1)},"token":${JSON.stringify(created.token)},"evicted":${JSON.stringify(created.evicted)}}`,
    headers: { Location: `/sessions/${created.id}`, ETag: etagOf(created) },
  };
}

/** The routes of one session: each a thin mapping onto one use case of the core. */
export const sessionRoutes: readonly Route[] = [
  defineRoute({
    method: 'post',
    path: '/sessions',
    operationId: 'createSession',
    summary: 'Start a session',
    description:
      'Creates a session, for a user or anonymous; the answer carries its handle (id), its token (the only time it is shown), ' +
      'its first version (ETag "1") and its Location. With the caller\u2019s own token, a token another session has is 409. ' +
      'Under SESSION_MAX_PER_USER, `evicted` lists the handles of the user\u2019s sessions this create ended to stay within the cap; ' +
      'with SESSION_LIMIT_POLICY=reject a create past the cap is 409 session-limit.',
    tag: 'sessions',
    auth: 'api-token',
    request: { body: createSessionBody },
    responses: { 201: { description: 'Created.', schema: createdSession, headers: createdHeaders } },
    problems: ['token-taken', 'session-limit', 'payload-too-large', 'store-unavailable'],
    async handle({ body }, { service }) {
      const input = { userId: body.userId, token: body.token, data: body.data, ttlSeconds: body.ttlSeconds, context: contextOfBody(body) };
      // The token goes into this one answer and nowhere else: not a header, not a log line.
      return createdReply(201, await service.create(input));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sessions/current',
    operationId: 'getCurrentSession',
    summary: 'Read the session a token names',
    description:
      'Resolves the Session-Token header (the token never travels in a URL) to its live session. An unknown, wrong, malformed ' +
      'or expired token is 404, all alike; a missing header is 400. If-None-Match works as for GET /sessions/{id}. With maxAuthAgeSeconds, ' +
      'a session whose user authenticated longer ago (or never said when) is 403 reauthentication-required.',
    tag: 'sessions',
    auth: 'api-token',
    request: { query: readQuery, headers: sessionTokenHeader.extend(readConditions.shape) },
    responses: {
      200: sessionAnswer('The session.'),
      304: { description: 'The session is still at a version If-None-Match names.', headers: etagHeader },
    },
    problems: ['not-found', 'reauthentication-required', 'store-unavailable'],
    async handle({ query, headers }, { service }) {
      const unchanged = parseEntityTags('If-None-Match', headers['If-None-Match'] || undefined);
      const session = await service.resolve(headers['Session-Token'], query);
      if (unchanged && (unchanged.any || weaklyNames(unchanged.tags, session.version))) {
        return { status: 304, headers: { ETag: etagOf(session) } };
      }
      return sessionReply(200, session);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/sessions/{id}',
    operationId: 'getSession',
    summary: 'Read a session',
    description:
      'Reads a live session. Clients that poll send the ETag they have in If-None-Match and get 304 without a body while the session is unchanged. ' +
      'With maxAuthAgeSeconds, a session whose user authenticated longer ago (or never said when) is 403 reauthentication-required.',
    tag: 'sessions',
    auth: 'api-token',
    request: { params: sessionIdPath, query: readQuery, headers: readConditions },
    responses: {
      200: sessionAnswer('The session.'),
      304: { description: 'The session is still at a version If-None-Match names.', headers: etagHeader },
    },
    problems: ['not-found', 'reauthentication-required', 'store-unavailable'],
    async handle({ params, query, headers }, { service }) {
      const unchanged = parseEntityTags('If-None-Match', headers['If-None-Match'] || undefined);
      const session = await service.get(params.id, query);
      if (unchanged && (unchanged.any || weaklyNames(unchanged.tags, session.version))) {
        return { status: 304, headers: { ETag: etagOf(session) } };
      }
      return sessionReply(200, session);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/sessions/{id}',
    operationId: 'replaceSessionData',
    summary: 'Replace a session\u2019s data',
    description: 'Replaces the data and bumps the version. If-Match and If-None-Match make it conditional (412 when they do not hold).',
    tag: 'sessions',
    auth: 'api-token',
    request: { params: sessionIdPath, headers: writeConditions, body: sessionDataBody },
    responses: { 200: sessionAnswer('Replaced.') },
    problems: ['not-found', 'version-mismatch', 'payload-too-large', 'store-unavailable'],
    async handle({ params, headers, body }, { service }) {
      const expectedVersion = await writePreconditions(headers)(() => service.get(params.id));
      return sessionReply(200, await service.replace(params.id, body.data, { expectedVersion }));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/sessions/{id}',
    operationId: 'mergeSessionData',
    summary: 'Merge into a session\u2019s data (RFC 7386)',
    description: 'Merges the data by JSON Merge Patch; concurrent merges are never lost. If-Match and If-None-Match make it conditional.',
    tag: 'sessions',
    auth: 'api-token',
    request: { params: sessionIdPath, headers: writeConditions, body: sessionDataBody },
    responses: { 200: sessionAnswer('Merged.') },
    problems: ['not-found', 'version-mismatch', 'payload-too-large', 'store-unavailable'],
    async handle({ params, headers, body }, { service }) {
      const expectedVersion = await writePreconditions(headers)(() => service.get(params.id));
      return sessionReply(200, await service.patch(params.id, body.data, { expectedVersion }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/sessions/{id}/refresh',
    operationId: 'refreshSession',
    summary: 'Extend a session by its ttl, up to the absolute timeout',
    description: 'Moves expiresAt to now + ttl, never past the absolute timeout, and bumps the version. If-Match and If-None-Match make it conditional.',
    tag: 'sessions',
    auth: 'api-token',
    request: { params: sessionIdPath, headers: writeConditions },
    responses: { 200: sessionAnswer('Extended.') },
    problems: ['not-found', 'version-mismatch', 'store-unavailable'],
    async handle({ params, headers }, { service }) {
      const expectedVersion = await writePreconditions(headers)(() => service.get(params.id));
      return sessionReply(200, await service.refresh(params.id, { expectedVersion }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/sessions/{id}/rotate',
    operationId: 'rotateSession',
    summary: 'Give a session a new handle and token (and, with userId, log in)',
    description:
      'Moves the session to a new handle and token with the same data, createdAt (the absolute timeout still counts from the first ' +
      'creation) and ttl; the version goes on. The old handle is gone at once; the old token resolves to the new session for ' +
      'graceSeconds, never longer. With userId, an anonymous session is bound to that user: the way to log in. The answer carries the ' +
      'new token, as POST /sessions does. If-Match and If-None-Match make it conditional. Under SESSION_MAX_PER_USER a login counts ' +
      'against the user\u2019s cap as a create does (the rotated session itself is not counted twice): `evicted` lists the handles of ' +
      'the user\u2019s sessions it ended, and with SESSION_LIMIT_POLICY=reject a login past the cap is 409 session-limit and the ' +
      'session stays as it was.',
    tag: 'sessions',
    auth: 'api-token',
    request: { params: sessionIdPath, headers: writeConditions, body: rotateSessionBody, bodyOptional: true },
    responses: { 200: { description: 'Rotated.', schema: createdSession, headers: createdHeaders } },
    problems: ['not-found', 'user-mismatch', 'session-limit', 'version-mismatch', 'store-unavailable'],
    async handle({ params, headers, body }, { service }) {
      const expectedVersion = await writePreconditions(headers)(() => service.get(params.id));
      const options = { userId: body.userId, graceSeconds: body.graceSeconds, context: contextOfBody(body), expectedVersion };
      return createdReply(200, await service.rotate(params.id, options));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/sessions/{id}',
    operationId: 'deleteSession',
    summary: 'End a session',
    description: 'Ends a session; it is gone for every later request. If-Match and If-None-Match make it conditional (412 when they do not hold).',
    tag: 'sessions',
    auth: 'api-token',
    request: { params: sessionIdPath, headers: writeConditions },
    responses: { 200: { description: 'Ended.', schema: sessionDeleted } },
    problems: ['not-found', 'version-mismatch', 'store-unavailable'],
    async handle({ params, headers }, { service }) {
      const expectedVersion = await writePreconditions(headers)(() => service.get(params.id));
      await service.delete(params.id, { expectedVersion });
      return { status: 200, body: { deleted: true, id: params.id } };
    },
  }),
];

/** The flat context fields of a create or rotate body. */
interface ContextFields {
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly device?: string | undefined;
  readonly authenticatedAt?: string | undefined;
  readonly authMethods?: string[] | undefined;
}

/**
 * The context fields of a create or rotate body as the core's context (epoch ms); `undefined`
 * when the body has none. Built field by field: a rest pattern and a spread per request cost
 * a slow object copy each.
 */
function contextOfBody(body: ContextFields): SessionContext | undefined {
  const { ip, userAgent, device, authenticatedAt, authMethods } = body;
  if (ip === undefined && userAgent === undefined && device === undefined && authenticatedAt === undefined && authMethods === undefined) return undefined;
  const context: { -readonly [K in keyof SessionContext]: SessionContext[K] } = {};
  if (ip !== undefined) context.ip = ip;
  if (userAgent !== undefined) context.userAgent = userAgent;
  if (device !== undefined) context.device = device;
  if (authenticatedAt !== undefined) context.authenticatedAt = Date.parse(authenticatedAt);
  if (authMethods !== undefined) context.authMethods = authMethods;
  return context;
}
