import { CLIENT_ROUTES } from './client-routes.js';
import { ifMatch } from './entity-tag.js';
import { sendRequest, type RequestInput, type RequestSettings } from './send-request.js';
import type {
  ApiEvent,
  ApiEventPage,
  ApiSession,
  ApiSessionPage,
  CreatedApiSession,
  CreateSessionInput,
  DeletedApiSession,
  ProbeStatus,
  RotateSessionInput,
  UserSessionCount,
  UserSessionsDeleted,
} from './wire-types.js';

/** How to reach the service. */
export interface SessionClientOptions {
  /** The service's URL, with any base path: `https://sessions.internal` or `http://127.0.0.1:3000/session-api`. */
  readonly baseUrl: string;
  /** One of the service's API_TOKENS, sent as `Authorization: Bearer …`; leave out for a service without tokens. */
  readonly apiToken?: string | undefined;
  /** How long one call may take, retries and their waits included; default 5000. */
  readonly timeoutMs?: number | undefined;
  /** How many times an idempotent call (GET, PUT, DELETE) is sent again after a 503 or a failed connection; default 2. */
  readonly retries?: number | undefined;
  /** The longest wait before a retry; a 503 asking for more (`Retry-After`) is answered as it is. Default 2000. */
  readonly maxRetryWaitMs?: number | undefined;
  /** The fetch to send with; default the global one (Node 20 has it). */
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/** What every call takes. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** This call's own deadline, instead of the client's `timeoutMs`. */
  readonly timeoutMs?: number | undefined;
}

/** Options of the reads of one session. */
export interface ReadOptions extends CallOptions {
  /** 403 `reauthentication-required` unless the user authenticated at most this many seconds ago. */
  readonly maxAuthAgeSeconds?: number | undefined;
}

/** Options of the writes of one session. */
export interface WriteOptions extends CallOptions {
  /** Write only if the session is still at this version (`If-Match`); 412 `version-mismatch` otherwise. */
  readonly expectedVersion?: number | undefined;
}

/** Options of a listing. */
export interface PageOptions extends CallOptions {
  /** Sessions per page, 1 to 1000 (default 100). */
  readonly limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** Options of `deleteByUser`. */
export interface DeleteByUserOptions extends CallOptions {
  /** The handle of the one session to keep: log out other devices. */
  readonly except?: string | undefined;
}

/** Options of `readEvents`. */
export interface EventReadOptions extends CallOptions {
  /** The `cursor` of the previous page; absent: from the oldest event kept. */
  readonly after?: string | undefined;
  /** Events per page, 1 to 1000 (default 100). */
  readonly limit?: number | undefined;
  /**
   * When no event is new, how long the service waits for one (0 to 30 s, default 0). The call's
   * deadline is this plus the client's `timeoutMs`, unless `timeoutMs` is given.
   */
  readonly waitSeconds?: number | undefined;
}

/** Options of `events`: where to start and how long each long poll waits (default 20 s). */
export interface EventStreamOptions extends Omit<EventReadOptions, 'timeoutMs'> {}

/** How long each long poll of `events()` waits unless told. */
const EVENT_STREAM_WAIT_SECONDS = 20;

/** A session's data: any JSON object. */
export type SessionData = ApiSession['data'];

/** The answer of a conditional read when the session is still at the version the caller has. */
export type NotModified = 'not-modified';

/**
 * The session-api HTTP service, one method per route. Errors are a {@link SessionApiError} when
 * the service answered one (`slug` says which) and a {@link SessionClientFailure} when it did not
 * answer in time or at all.
 */
export interface SessionClient {
  /** Starts a session; the answer carries its token, the only time it is shown. */
  create(input?: CreateSessionInput, options?: CallOptions): Promise<CreatedApiSession>;
  /** The live session a token names (`Session-Token`; never in a URL). Unknown or expired is 404 `not-found`. */
  resolve(token: string, options?: ReadOptions): Promise<ApiSession>;
  /** As {@link SessionClient.resolve}, but `not-modified` while the session is still at `knownVersion`. */
  resolveIfChanged(token: string, knownVersion: number, options?: ReadOptions): Promise<ApiSession | NotModified>;
  /** A live session by its handle. */
  get(id: string, options?: ReadOptions): Promise<ApiSession>;
  /** As {@link SessionClient.get}, but `not-modified` while the session is still at `knownVersion`. */
  getIfChanged(id: string, knownVersion: number, options?: ReadOptions): Promise<ApiSession | NotModified>;
  /** Replaces the session's data. */
  replace(id: string, data: SessionData, options?: WriteOptions): Promise<ApiSession>;
  /** Merges into the session's data by JSON Merge Patch (RFC 7386); concurrent merges are never lost. */
  patch(id: string, data: SessionData, options?: WriteOptions): Promise<ApiSession>;
  /** Extends the session by its ttl, up to the absolute timeout. */
  refresh(id: string, options?: WriteOptions): Promise<ApiSession>;
  /** Gives the session a new handle and token (with `userId`, logs in an anonymous one). */
  rotate(id: string, input?: RotateSessionInput, options?: WriteOptions): Promise<CreatedApiSession>;
  /** Ends the session. */
  delete(id: string, options?: WriteOptions): Promise<DeletedApiSession>;
  /** One page of all live sessions. */
  list(options?: PageOptions): Promise<ApiSessionPage>;
  /** Every live session, page after page. */
  listAll(options?: PageOptions): AsyncIterable<ApiSession>;
  /** One page of a user's live sessions. */
  listByUser(userId: string, options?: PageOptions): Promise<ApiSessionPage>;
  /** Every live session of a user, page after page. */
  listAllByUser(userId: string, options?: PageOptions): AsyncIterable<ApiSession>;
  /** How many of the user's sessions are live. */
  countByUser(userId: string, options?: CallOptions): Promise<UserSessionCount['count']>;
  /** Ends every session of the user (log out everywhere), or all but `except`; answers how many were ended. */
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<UserSessionsDeleted['deleted']>;
  /** Up to `limit` lifecycle events after `after`, in order; with `waitSeconds`, waits for one (a long poll). 404 `events-disabled` when the service records none. */
  readEvents(options?: EventReadOptions): Promise<ApiEventPage>;
  /** Every event after `after` as it is recorded, long poll after long poll, until `signal` aborts (then it ends). */
  events(options?: EventStreamOptions): AsyncIterable<ApiEvent>;
  /** Liveness: the process answers. */
  health(options?: CallOptions): Promise<ProbeStatus>;
  /** Readiness: the store answers and the instance is not shutting down (503 otherwise, not retried). */
  ready(options?: CallOptions): Promise<ProbeStatus>;
  /** The Prometheus metrics, as text. */
  metrics(options?: CallOptions): Promise<string>;
  /** The service's OpenAPI 3.1 document. */
  openApiDocument(options?: CallOptions): Promise<Record<string, unknown>>;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_RETRY_WAIT_MS = 2000;

/** A client of the session-api HTTP service at `baseUrl`. */
export function createSessionClient(options: SessionClientOptions): SessionClient {
  const settings = settingsOf(options);
  const send = (operation: keyof typeof CLIENT_ROUTES, input: RequestInput) => sendRequest(settings, CLIENT_ROUTES[operation], input);
  const json = async <T>(operation: keyof typeof CLIENT_ROUTES, input: RequestInput) => (await send(operation, input)).body as T;
  const call = ({ signal, timeoutMs }: CallOptions = {}) => ({ signal, timeoutMs });
  const writeHeaders = ({ expectedVersion }: WriteOptions) => ({ 'If-Match': expectedVersion === undefined ? undefined : ifMatch(expectedVersion) });
  const readQuery = ({ maxAuthAgeSeconds }: ReadOptions) => ({ maxAuthAgeSeconds });
  const pageQuery = ({ limit, cursor }: PageOptions) => ({ limit, cursor });
  const conditional = async (operation: 'getSession' | 'getCurrentSession', input: RequestInput): Promise<ApiSession | NotModified> => {
    const answer = await send(operation, input);
    return answer.status === 304 ? 'not-modified' : (answer.body as ApiSession);
  };
  const readEvents = (options: EventReadOptions = {}) => {
    const { after, limit, waitSeconds } = options;
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs + (waitSeconds ?? 0) * 1000;
    return json<ApiEventPage>('listEvents', { signal: options.signal, timeoutMs, query: { after, limit, waitSeconds } });
  };
  async function* events(options: EventStreamOptions): AsyncIterable<ApiEvent> {
    const stopped = (): boolean => options.signal?.aborted === true;
    let after = options.after;
    while (!stopped()) {
      let page: ApiEventPage;
      try {
        page = await readEvents({ ...options, after, waitSeconds: options.waitSeconds ?? EVENT_STREAM_WAIT_SECONDS });
      } catch (error) {
        if (stopped()) return;
        throw error;
      }
      after = page.cursor;
      yield* page.events;
    }
  }
  async function* pages(list: (page: PageOptions) => Promise<ApiSessionPage>, page: PageOptions): AsyncIterable<ApiSession> {
    let cursor = page.cursor;
    do {
      const answer = await list({ ...page, cursor });
      yield* answer.sessions;
      cursor = answer.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  const client: SessionClient = {
    create: (input = {}, options) => json('createSession', { ...call(options), body: input }),
    resolve: (token, options = {}) => json('getCurrentSession', { ...call(options), query: readQuery(options), headers: { 'Session-Token': token } }),
    resolveIfChanged: (token, knownVersion, options = {}) =>
      conditional('getCurrentSession', { ...call(options), query: readQuery(options), headers: { 'Session-Token': token, 'If-None-Match': ifMatch(knownVersion) } }),
    get: (id, options = {}) => json('getSession', { ...call(options), params: { id }, query: readQuery(options) }),
    getIfChanged: (id, knownVersion, options = {}) =>
      conditional('getSession', { ...call(options), params: { id }, query: readQuery(options), headers: { 'If-None-Match': ifMatch(knownVersion) } }),
    replace: (id, data, options = {}) => json('replaceSessionData', { ...call(options), params: { id }, headers: writeHeaders(options), body: { data } }),
    patch: (id, data, options = {}) => json('mergeSessionData', { ...call(options), params: { id }, headers: writeHeaders(options), body: { data } }),
    refresh: (id, options = {}) => json('refreshSession', { ...call(options), params: { id }, headers: writeHeaders(options) }),
    rotate: (id, input = {}, options = {}) => json('rotateSession', { ...call(options), params: { id }, headers: writeHeaders(options), body: input }),
    delete: (id, options = {}) => json('deleteSession', { ...call(options), params: { id }, headers: writeHeaders(options) }),
    list: (options = {}) => json('listSessions', { ...call(options), query: pageQuery(options) }),
    listAll: (options = {}) => pages(client.list, options),
    listByUser: (userId, options = {}) => json('listUserSessions', { ...call(options), params: { userId }, query: pageQuery(options) }),
    listAllByUser: (userId, options = {}) => pages((page) => client.listByUser(userId, page), options),
    countByUser: async (userId, options) => (await json<UserSessionCount>('countUserSessions', { ...call(options), params: { userId } })).count,
    deleteByUser: async (userId, options = {}) =>
      (await json<UserSessionsDeleted>('deleteUserSessions', { ...call(options), params: { userId }, query: { except: options.except } })).deleted,
    readEvents,
    events: (options = {}) => events(options),
    health: (options) => json('health', call(options)),
    ready: (options) => json('ready', call(options)),
    metrics: (options) => json('metrics', call(options)),
    openApiDocument: (options) => json('openApiDocument', call(options)),
  };
  return client;
}

/** The options, checked: a mistake here is a clear error at start-up, never a request that leaks. */
function settingsOf(options: SessionClientOptions): RequestSettings {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new TypeError('createSessionClient: baseUrl must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('createSessionClient: baseUrl must be an http or https URL');
  // Never echoed: credentials in a URL end up in logs, so they are refused, not sent.
  if (url.username !== '' || url.password !== '') throw new TypeError('createSessionClient: baseUrl must not hold credentials; pass apiToken');
  if (url.search !== '' || url.hash !== '') throw new TypeError('createSessionClient: baseUrl must have no query or fragment');
  const { apiToken } = options;
  // RFC 6750 b64token, roughly: printable ASCII without spaces. The token itself is never quoted.
  if (apiToken !== undefined && !/^[\x21-\x7e]+$/.test(apiToken)) throw new TypeError('createSessionClient: apiToken must be printable ASCII without spaces');
  return {
    baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    authorization: apiToken === undefined ? undefined : `Bearer ${apiToken}`,
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    retries: whole('retries', options.retries ?? DEFAULT_RETRIES),
    maxRetryWaitMs: whole('maxRetryWaitMs', options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`createSessionClient: ${name} must be a whole number of at least 1`);
  return value;
}

function whole(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`createSessionClient: ${name} must be a whole number of at least 0`);
  return value;
}
