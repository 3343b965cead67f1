import * as z from 'zod';
import {
  createSessionBody,
  probeStatus,
  problemDetails,
  sessionDataBody,
  sessionDeleted,
  sessionPage,
  userSessionsDeleted,
  wireSession,
} from './api-schemas.js';
import { PROBLEM_MEDIA_TYPE } from './problem.js';

type Schema = z.ZodType;
type Json = Record<string, unknown>;

const ref = (schema: Schema): Json => {
  const id = z.globalRegistry.get(schema)?.id;
  if (id === undefined) throw new Error('every API schema carries an id');
  return { $ref: `#/components/schemas/${id}` };
};
const json = (schema: Schema, description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ref(schema) } },
});
const problem = (description: string): Json => ({
  description,
  content: { [PROBLEM_MEDIA_TYPE]: { schema: ref(problemDetails) } },
});
const etag = { ETag: { description: 'The session\u2019s version as a strong entity tag, e.g. "3".', schema: { type: 'string' } } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'Write only if the session is still at this version (its ETag); 412 otherwise.',
  schema: { type: 'string' },
};
const sessionId = { name: 'id', in: 'path', required: true, description: 'The session id (UUID v4).', schema: { type: 'string' } };
const userId = { name: 'userId', in: 'path', required: true, description: 'The user id, percent-encoded.', schema: { type: 'string' } };
const paging = [
  { name: 'limit', in: 'query', required: false, description: 'Sessions per page, 1 to 1000 (default 100).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  { name: 'cursor', in: 'query', required: false, description: 'The `nextCursor` of the previous page.', schema: { type: 'string' } },
];
const errors = (...statuses: number[]): Json => {
  const reasons: Record<number, string> = {
    400: 'Malformed or invalid input.',
    401: 'A bearer token is required (when the service has API tokens).',
    404: 'No live session with this id.',
    412: 'If-Match names another version.',
    413: 'The body or the data is too large.',
    415: 'The body is not UTF-8 application/json.',
    503: 'The store does not answer; see Retry-After.',
  };
  return Object.fromEntries([
    ...statuses.map((status) => [String(status), problem(reasons[status] ?? 'Error.')]),
    ['default', problem('Any other error, as RFC 9457 problem details.')],
  ]);
};
const body = (schema: Schema): Json => ({ required: true, content: { 'application/json': { schema: ref(schema) } } });
const secured = { security: [{ bearer: [] }] };

/**
 * The OpenAPI 3.1 description of the API, generated from the same zod schemas the routes
 * validate with.
 */
export function openApiDocument(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'output',
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const schema of Object.values(schemas)) delete (schema as Json).$schema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'session-api',
      version: '1',
      description: 'Create, read, update, extend, list and end user sessions. Every error is application/problem+json.',
    },
    paths: {
      '/sessions': {
        post: {
          operationId: 'createSession',
          summary: 'Create a session',
          ...secured,
          requestBody: body(createSessionBody),
          responses: {
            '201': json(wireSession, 'Created.', {
              ...etag,
              Location: { description: 'The new session\u2019s URL.', schema: { type: 'string' } },
            }),
            ...errors(400, 401, 413, 415, 503),
          },
        },
        get: {
          operationId: 'listSessions',
          summary: 'List all live sessions, a page at a time',
          ...secured,
          parameters: paging,
          responses: { '200': json(sessionPage, 'A page.'), ...errors(400, 401, 503) },
        },
      },
      '/sessions/{id}': {
        parameters: [sessionId],
        get: {
          operationId: 'getSession',
          summary: 'Read a session',
          ...secured,
          responses: { '200': json(wireSession, 'The session.', etag), ...errors(401, 404, 503) },
        },
        put: {
          operationId: 'replaceSessionData',
          summary: 'Replace a session\u2019s data',
          ...secured,
          parameters: [ifMatch],
          requestBody: body(sessionDataBody),
          responses: { '200': json(wireSession, 'Replaced.', etag), ...errors(400, 401, 404, 412, 413, 415, 503) },
        },
        patch: {
          operationId: 'mergeSessionData',
          summary: 'Merge into a session\u2019s data (RFC 7386)',
          ...secured,
          parameters: [ifMatch],
          requestBody: body(sessionDataBody),
          responses: { '200': json(wireSession, 'Merged.', etag), ...errors(400, 401, 404, 412, 413, 415, 503) },
        },
        delete: {
          operationId: 'deleteSession',
          summary: 'End a session',
          ...secured,
          responses: { '200': json(sessionDeleted, 'Ended.'), ...errors(401, 404, 503) },
        },
      },
      '/sessions/{id}/refresh': {
        parameters: [sessionId],
        post: {
          operationId: 'refreshSession',
          summary: 'Extend a session by its ttl, up to the absolute timeout',
          ...secured,
          parameters: [ifMatch],
          responses: { '200': json(wireSession, 'Extended.', etag), ...errors(401, 404, 412, 503) },
        },
      },
      '/sessions/user/{userId}': {
        parameters: [userId],
        get: {
          operationId: 'listUserSessions',
          summary: 'List one user\u2019s live sessions, a page at a time',
          ...secured,
          parameters: paging,
          responses: { '200': json(sessionPage, 'A page.'), ...errors(400, 401, 503) },
        },
        delete: {
          operationId: 'deleteUserSessions',
          summary: 'End all of a user\u2019s sessions (log out everywhere)',
          ...secured,
          responses: { '200': json(userSessionsDeleted, 'How many live sessions were ended.'), ...errors(400, 401, 503) },
        },
      },
      '/health': {
        get: { operationId: 'health', summary: 'Liveness: the process answers', responses: { '200': json(probeStatus, 'Alive.') } },
      },
      '/ready': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: the store answers and the process is not shutting down',
          responses: { '200': json(probeStatus, 'Ready.'), ...errors(503) },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApiDocument',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/docs': {
        get: {
          operationId: 'docsPage',
          summary: 'This reference, for humans',
          responses: { '200': { description: 'An HTML page.', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          responses: {
            '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...errors(401),
          },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'One of API_TOKENS; required only when the service has tokens.' },
      },
    },
  };
}
