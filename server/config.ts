import { SESSION_LIMIT_POLICIES, type SessionLimit, type SessionLimits, type TtlPolicy } from '../core/index.js';
import {
  ConfigError,
  flag,
  lifetimeHours,
  list,
  milliseconds,
  oneOf,
  rawValue,
  text,
  url,
  urlList,
  wholeNumber,
  type Env,
  type Setting,
} from './setting.js';
import { isWebhookSecret, webhookReceivers } from '../transports/webhooks/index.js';
import { withoutPathOrCredentials } from './url-credentials.js';

export { ConfigError } from './setting.js';

/** Where sessions are kept, with what each store needs. */
export type StoreConfig =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'redis';
      readonly url: string | undefined;
      readonly clusterNodes: readonly string[] | undefined;
      readonly keyPrefix: string;
      readonly commandTimeoutMs: number;
    }
  | {
      readonly kind: 'dynamodb';
      readonly tableName: string;
      readonly region: string;
      readonly endpoint: string | undefined;
    };

/** Webhook delivery of the events: where to, signed with what, retried how long. */
export interface WebhooksConfig {
  /** The receivers, each an http(s) URL (may carry credentials: never logged). */
  readonly urls: readonly string[];
  /** The Standard Webhooks signing secret, `whsec_<base64>` as given (never logged). */
  readonly secret: string;
  /** How long a delivery is retried before it is given up (ms). */
  readonly retryMs: number;
}

/** Lifecycle events (issue 15): recorded by the store, swept for expiries, served and delivered. */
export interface EventsConfig {
  /** How long the store keeps events (ms). */
  readonly retentionMs: number;
  /** Each expired session's `session.expired` is recorded within this long of its deadline (ms). */
  readonly expiryLagMs: number;
  /** Webhook delivery; `undefined` without WEBHOOK_URLS. */
  readonly webhooks: WebhooksConfig | undefined;
}

/** How log lines are written: JSON for machines, or pino-pretty's lines for people. */
export type LogFormat = 'json' | 'pretty';

/** The service's whole configuration, validated. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly logFormat: LogFormat;
  readonly bodyLimitBytes: number;
  readonly apiTokens: readonly string[];
  /** Whether `/metrics` needs a bearer token too (only when API_TOKENS is set). */
  readonly metricsRequireToken: boolean;
  readonly shutdownTimeoutMs: number;
  /** How long `/ready` answers 503 before the listener closes, so load balancers can notice. */
  readonly shutdownDelayMs: number;
  /** How long start-up waits for the store to answer before it logs that it does not. */
  readonly storeWaitMs: number;
  readonly policy: TtlPolicy;
  readonly limits: SessionLimits;
  /** The cap on each user's live sessions; `undefined` for none. */
  readonly sessionLimit: SessionLimit | undefined;
  readonly store: StoreConfig;
  /** Lifecycle events; `undefined` unless EVENTS_ENABLED. */
  readonly events: EventsConfig | undefined;
}

const STORES = ['memory', 'redis', 'dynamodb'] as const;


/**
 * Every setting, one declaration each, in the order `--help` and the README list them. The
 * minimum of each duration is the smallest value that still does its job: a session lives at
 * least a second; a shutdown may skip the delay (0) but gives requests in flight at least 100 ms;
 * a Redis command gets at least 10 ms, a loopback round trip with room to spare.
 */
export const SETTINGS = {
  port: wholeNumber('PORT', { fallback: 8080, min: 0, max: 65_535 }, 'port to listen on (0: any free port)'),
  host: text('HOST', { fallback: '0.0.0.0', pattern: /^[A-Za-z0-9.:-]{1,253}$/, allowed: 'an IP address or host name' }, 'address to listen on'),
  store: oneOf('SESSION_STORE', STORES, undefined, 'memory, redis or dynamodb; unset: dynamodb with DYNAMODB_TABLE_NAME, else redis with REDIS_URL or REDIS_CLUSTER_NODES, else memory'),
  ttl: lifetimeHours('SESSION_TTL_HOURS', 24, 'lifetime of a new session, in hours (decimals allowed, at least 1 s)'),
  maxTtl: lifetimeHours('SESSION_MAX_TTL_HOURS', 168, 'the largest ttlSeconds a caller may ask for, in hours'),
  absoluteTimeout: lifetimeHours('SESSION_ABSOLUTE_TIMEOUT_HOURS', 168, 'no session outlives createdAt + this, however often it is extended'),
  slidingExpiration: flag('SESSION_SLIDING_EXPIRATION', true, 'each write also extends expiresAt to now + ttl (refresh always does)'),
  touchIntervalSeconds: wholeNumber(
    'SESSION_TOUCH_INTERVAL_SECONDS',
    { fallback: 60, min: 0, max: 86_400, unit: 'seconds' },
    'a refresh within this long of the last one that wrote (lastActiveAt) answers the session unchanged and writes nothing (at most half the ttl); 0: every refresh writes',
  ),
  maxDataBytes: wholeNumber('SESSION_MAX_DATA_BYTES', { fallback: 65_536, min: 2, max: 1_048_576 }, 'largest data, in bytes of JSON'),
  maxPerUser: wholeNumber('SESSION_MAX_PER_USER', { fallback: 0, min: 0, max: 10_000 }, 'the most live sessions one user may hold (0: no cap)'),
  limitPolicy: oneOf('SESSION_LIMIT_POLICY', SESSION_LIMIT_POLICIES, 'evict-oldest', 'a create past SESSION_MAX_PER_USER: evict-oldest, evict-idlest (least recently active) or reject (409)'),
  maxDepth: wholeNumber('JSON_MAX_DEPTH', { fallback: 32, min: 1, max: 256 }, 'deepest nesting of data'),
  bodyLimitBytes: wholeNumber('BODY_LIMIT_BYTES', { fallback: 65_536, min: 1_024, max: 16_777_216 }, 'largest request body, in bytes'),
  apiTokens: list(
    'API_TOKENS',
    { pattern: /^\S{16,}$/, allowed: 'comma-separated tokens of at least 16 characters without spaces', secret: true },
    'comma-separated bearer tokens that may call /sessions; unset leaves the API open (and logs a warning)',
  ),
  metricsRequireToken: flag('METRICS_REQUIRE_TOKEN', false, 'true: /metrics needs a bearer token too (when API_TOKENS is set)'),
  logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'pino level: fatal, error, warn, info, debug, trace, or silent'),
  logFormat: oneOf('LOG_FORMAT', ['json', 'pretty'], 'json', 'json: one JSON line per event; pretty: coloured lines for people (needs pino-pretty)'),
  storeWaitMs: milliseconds('STORE_STARTUP_WAIT_MS', { fallback: 5_000, min: 0, max: 60_000 }, 'how long start-up waits for the store to answer before it logs that it does not (it serves meanwhile; /ready says 503)'),
  shutdownDelayMs: milliseconds('SHUTDOWN_DELAY_MS', { fallback: 1_000, min: 0, max: 60_000 }, 'on SIGTERM, how long /ready answers 503 before the listener closes'),
  shutdownTimeoutMs: milliseconds('SHUTDOWN_TIMEOUT_MS', { fallback: 8_000, min: 100, max: 300_000 }, 'how long requests in flight may take to finish before connections are closed'),
  redisUrl: url('REDIS_URL', ['redis:', 'rediss:'], 'redis:// or rediss:// (TLS) URL of a standalone Redis'),
  redisClusterNodes: list('REDIS_CLUSTER_NODES', { pattern: /^[A-Za-z0-9.-]+:[0-9]{1,5}$/, allowed: 'comma-separated host:port pairs' }, 'comma-separated host:port seeds of a Redis Cluster'),
  redisKeyPrefix: text('REDIS_KEY_PREFIX', { fallback: 'session-api:', pattern: /^[A-Za-z0-9:_.-]{1,64}$/, allowed: '1 to 64 of A-Z a-z 0-9 : _ . -' }, 'prefix of every Redis key'),
  redisCommandTimeoutMs: milliseconds('REDIS_COMMAND_TIMEOUT_MS', { fallback: 1_000, min: 10, max: 60_000 }, 'a Redis command that takes longer fails with 503'),
  dynamoTableName: text('DYNAMODB_TABLE_NAME', { fallback: undefined, pattern: /^[A-Za-z0-9_.-]{3,255}$/, allowed: '3 to 255 of A-Z a-z 0-9 _ . -' }, 'the sessions table'),
  awsRegion: text('AWS_REGION', { fallback: undefined, pattern: /^[a-z]{2}(-[a-z]+)+-[0-9]$/, allowed: 'an AWS region such as us-west-2' }, 'the table\'s region (required with DynamoDB)'),
  dynamoEndpoint: url('DYNAMODB_ENDPOINT', ['http:', 'https:'], 'another DynamoDB endpoint (local development, dynalite)'),
  eventsEnabled: flag('EVENTS_ENABLED', false, 'true: the store records lifecycle events (GET /events, webhooks) and each process sweeps expired sessions'),
  eventsRetention: lifetimeHours('EVENTS_RETENTION_HOURS', 24, 'how long the store keeps events, in hours (decimals allowed)'),
  eventsExpiryLagSeconds: wholeNumber(
    'EVENTS_EXPIRY_LAG_SECONDS',
    { fallback: 5, min: 1, max: 3_600, unit: 'seconds' },
    'each expired session\'s session.expired is recorded within about this long of its deadline (the sweeper runs twice as often)',
  ),
  webhookUrls: urlList('WEBHOOK_URLS', ['http:', 'https:'], 'comma-separated http(s) URLs that receive every event, signed (needs EVENTS_ENABLED and WEBHOOK_SECRET)'),
  webhookSecret: text(
    'WEBHOOK_SECRET',
    // The rule is delivery's own (Standard Webhooks: a key of 24 to 64 bytes), so a secret
    // start-up accepts is one delivery signs with.
    { fallback: undefined, pattern: /^whsec_/, accepts: isWebhookSecret, allowed: 'whsec_ and the base64 of 24 to 64 random bytes (Standard Webhooks)', secret: true },
    'the key webhooks are signed with (Standard Webhooks: whsec_<base64>)',
  ),
  webhookRetry: lifetimeHours('WEBHOOK_RETRY_HOURS', 24, 'how long a webhook that fails is retried (exponential backoff with jitter), in hours'),
} as const satisfies Record<string, Setting<unknown>>;

/** Reads and validates the configuration from the environment; throws `ConfigError` on the first bad value. */
export function loadConfig(env: Env): Config {
  const s = SETTINGS;
  const policy: TtlPolicy = {
    defaultTtl: s.ttl.read(env),
    maxTtl: s.maxTtl.read(env),
    absoluteTimeout: s.absoluteTimeout.read(env),
    slidingExpiration: s.slidingExpiration.read(env),
    touchInterval: s.touchIntervalSeconds.read(env) * 1000,
  };
  if (policy.defaultTtl > policy.maxTtl) {
    throw new ConfigError(s.ttl.name, `at most ${s.maxTtl.name}`, rawValue(env, s.ttl.name) ?? s.ttl.defaultText ?? '');
  }
  const store = storeConfig(env);
  return {
    port: s.port.read(env),
    host: s.host.read(env),
    logLevel: s.logLevel.read(env),
    logFormat: s.logFormat.read(env),
    bodyLimitBytes: s.bodyLimitBytes.read(env),
    apiTokens: s.apiTokens.read(env),
    metricsRequireToken: s.metricsRequireToken.read(env),
    shutdownTimeoutMs: s.shutdownTimeoutMs.read(env),
    shutdownDelayMs: s.shutdownDelayMs.read(env),
    storeWaitMs: s.storeWaitMs.read(env),
    policy,
    limits: { maxDataBytes: s.maxDataBytes.read(env), maxDepth: s.maxDepth.read(env) },
    sessionLimit: sessionLimitOf(env),
    store,
    events: eventsConfig(env),
  };
}

/**
 * The events' settings, read only with EVENTS_ENABLED=true; WEBHOOK_URLS is read always, since
 * receivers named for events that are off would silently receive nothing.
 */
function eventsConfig(env: Env): EventsConfig | undefined {
  const s = SETTINGS;
  const enabled = s.eventsEnabled.read(env);
  const urls = s.webhookUrls.read(env);
  if (!enabled) {
    if (urls.length > 0) throw new ConfigError(s.webhookUrls.name, `needs ${s.eventsEnabled.name}=true`, urls.map(withoutPathOrCredentials).join(','));
    return undefined;
  }
  let webhooks: WebhooksConfig | undefined;
  if (urls.length > 0) {
    const secret = s.webhookSecret.read(env);
    if (secret === undefined) throw new ConfigError(s.webhookSecret.name, `${s.webhookSecret.allowed} (required with ${s.webhookUrls.name})`, '');
    try {
      webhookReceivers(urls);
    } catch {
      // Two loops on one receiver would share its lease and both deliver.
      throw new ConfigError(s.webhookUrls.name, 'each receiver once (URLs that differ only in their user-info are one)', urls.map(withoutPathOrCredentials).join(','));
    }
    webhooks = { urls, secret, retryMs: s.webhookRetry.read(env) };
  }
  return { retentionMs: s.eventsRetention.read(env), expiryLagMs: s.eventsExpiryLagSeconds.read(env) * 1000, webhooks };
}

/** The session cap: none at SESSION_MAX_PER_USER=0 (the default), the policy read only with one. */
function sessionLimitOf(env: Env): SessionLimit | undefined {
  const max = SETTINGS.maxPerUser.read(env);
  const policy = SETTINGS.limitPolicy.read(env);
  return max === 0 ? undefined : { max, policy };
}

/** The chosen store's settings; those of the other stores are not read, so they cannot fail. */
function storeConfig(env: Env): StoreConfig {
  const s = SETTINGS;
  const isSet = (setting: Setting<unknown>): boolean => rawValue(env, setting.name) !== undefined;
  const kind =
    s.store.read(env) ??
    (isSet(s.dynamoTableName) ? 'dynamodb' : isSet(s.redisUrl) || isSet(s.redisClusterNodes) ? 'redis' : 'memory');

  if (kind === 'redis') {
    const redisUrl = s.redisUrl.read(env);
    const clusterNodes = s.redisClusterNodes.read(env);
    if (redisUrl === undefined && clusterNodes.length === 0) {
      throw new ConfigError(s.redisUrl.name, `${s.redisUrl.allowed} (or ${s.redisClusterNodes.name}) when SESSION_STORE=redis`, '');
    }
    return {
      kind,
      url: redisUrl,
      clusterNodes: clusterNodes.length > 0 ? clusterNodes : undefined,
      keyPrefix: s.redisKeyPrefix.read(env),
      commandTimeoutMs: s.redisCommandTimeoutMs.read(env),
    };
  }
  if (kind === 'dynamodb') {
    const tableName = s.dynamoTableName.read(env);
    if (tableName === undefined) throw new ConfigError(s.dynamoTableName.name, `${s.dynamoTableName.allowed} (required for dynamodb)`, '');
    const region = s.awsRegion.read(env);
    if (region === undefined) throw new ConfigError(s.awsRegion.name, `${s.awsRegion.allowed} (required for dynamodb)`, '');
    return { kind, tableName, region, endpoint: s.dynamoEndpoint.read(env) };
  }
  return { kind: 'memory' };
}
