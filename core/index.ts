/**
 * session-api's core: session lifecycle and TTL rules behind one storage port.
 * @packageDocumentation
 */
export { systemClock, type Clock } from './clock.js';
export {
  EventsDisabledError,
  InvalidInputError,
  PayloadTooLargeError,
  ReauthenticationRequiredError,
  SessionError,
  SessionLimitError,
  SessionNotFoundError,
  StoreUnavailableError,
  TokenTakenError,
  UserMismatchError,
  VersionConflictError,
  type SessionErrorCode,
} from './errors.js';
export { BASE64URL_ALPHABET, fromBase64Url, toBase64Url } from './base64url.js';
export { randomSecretGenerator, type SecretGenerator } from './secret-generator.js';
export {
  applyChange,
  expiryAfterChange,
  isThrottled,
  ROTATION_GRACE_MAX_SECONDS,
  rotatedSession,
  rotationGraceEnd,
  type SessionChange,
} from './session-change.js';
export {
  HOME_LENGTH,
  homeBits,
  homeOf,
  isCallerToken,
  isIssuedToken,
  isSessionHandle,
  lookupHandle,
  ownHandleOf,
  placeToken,
  userHome,
  type TokenPlacement,
} from './session-handle.js';
export { digestOf, webCryptoSha256, type Sha256 } from './sha256.js';
export {
  EVENT_RETENTION_DEFAULT_MS,
  SESSION_EVENT_REASONS,
  SESSION_EVENT_TYPES,
  type EventLogOptions,
  type EventPage,
  type SessionEvent,
  type SessionEventLog,
  type SessionEventReason,
  type SessionEventType,
  type SessionUpdateCause,
} from './session-events.js';
export { updateEventOf, type UpdateEvent } from './update-event.js';
export { defineKey, isPlainObject, isWellFormedJson, jsonByteLength, jsonDepth, jsonShape, textByteLength, type JsonObject, type JsonValue } from './json.js';
export { jsonObjectForm, takeJsonText } from './json-text.js';
export { applyMergePatch } from './merge-patch.js';
export { decodePageCursor, encodePageCursor, invalidCursor } from './page-cursor.js';
export { decodeEventCursor, encodeEventCursor, invalidEventCursor } from './event-cursor.js';
export { fillPage, type FilledPage } from './page-fill.js';
export { isLive, plainSession, type CreatedSession, type Session } from './session.js';
export { ipAddressPrefix, IP_TEXT_MAX, normalizeIpAddress } from './ip-address.js';
export {
  AUTH_CLOCK_SKEW_MS,
  AUTH_METHODS_MAX,
  checkContext,
  checkMaxAuthAgeSeconds,
  DEVICE_MAX,
  isAuthenticationFresh,
  MAX_AUTH_AGE_SECONDS_MAX,
  requireFreshAuthentication,
  USER_AGENT_MAX,
  type SessionContext,
} from './session-context.js';
export {
  checkCursor,
  checkEventCursor,
  checkData,
  checkExpectedVersions,
  checkLimit,
  checkTtlSeconds,
  checkUserId,
  checkVersion,
  defaultSessionLimits,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  PAGE_MAX_BYTES_DEFAULT,
  type SessionLimits,
  USER_ID_MAX,
} from './session-rules.js';
export {
  createSessionService,
  EVENT_POLL_INTERVAL_DEFAULT_MS,
  SessionService,
  SWEEP_BUDGET_DEFAULT,
  type CreateSessionInput,
  type EventReadOptions,
  type EventStreamOptions,
  type PageOptions,
  type RotateSessionOptions,
  type ReadOptions,
  type SessionServiceOptions,
  type WriteOptions,
} from './session-service.js';
export {
  evictedBy,
  type CreateOptions,
  type CreateOutcome,
  type DeleteOptions,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type RotateOptions,
  type RotateOutcome,
  type Rotated,
  type SessionStore,
} from './session-store.js';
export {
  evictionOrder,
  evictionsFor,
  lastActivityOf,
  SESSION_LIMIT_POLICIES,
  type Ranked,
  type SessionLimit,
  type SessionLimitPolicy,
} from './session-limit.js';
export {
  absoluteDeadline,
  defaultTtlPolicy,
  expiryAtCreation,
  type TtlPolicy,
} from './ttl-policy.js';
export { defaultRetryPolicy, retryDelays, timerSleep, type RetryPolicy, type Sleep } from './write-retry.js';
