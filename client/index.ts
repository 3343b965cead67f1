/**
 * A typed client for the session-api HTTP service: one method per route, problems as typed
 * errors, retries of idempotent calls on 503 and timeouts. It uses the global fetch and loads
 * no koa and no zod: its types come from the server's schemas at compile time only.
 * @packageDocumentation
 */
export {
  createSessionClient,
  type CallOptions,
  type DeleteByUserOptions,
  type EventReadOptions,
  type EventStreamOptions,
  type NotModified,
  type PageOptions,
  type ReadOptions,
  type SessionClient,
  type SessionClientOptions,
  type SessionData,
  type WriteOptions,
} from './session-client.js';
export { CLIENT_ROUTES, ROUTES_NOT_CALLED, type ClientOperation, type ClientRoute } from './client-routes.js';
export { ifMatch, versionOfEtag } from './entity-tag.js';
export { retryAfterMs } from './retry-after.js';
export { isSessionApiError, SessionApiError, SessionClientError, SessionClientFailure, type FailureKind } from './session-api-error.js';
export type * from './wire-types.js';
