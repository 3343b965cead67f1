import type { SessionLimits, TtlPolicy } from '../core/index.js';

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

/** The service's whole configuration, validated. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly apiTokens: readonly string[];
  /** Whether `/metrics` needs a bearer token too (only when API_TOKENS is set). */
  readonly metricsRequireToken: boolean;
  readonly shutdownTimeoutMs: number;
  /** How long `/ready` answers 503 before the listener closes, so load balancers can notice. */
  readonly shutdownDelayMs: number;
  readonly policy: TtlPolicy;
  readonly limits: SessionLimits;
  readonly store: StoreConfig;
}

/** A setting that is wrong: names the variable and what it allows. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    allowed: string,
    value: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is not valid: ${allowed}`);
  }
}

const HOUR_MS = 3_600_000;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const STORES = ['memory', 'redis', 'dynamodb'] as const;
const HOST_PORT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;

/** Reads and validates the configuration from the environment; throws `ConfigError` on the first bad value. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
    }
    return Number(raw);
  };
  const hours = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback * HOUR_MS;
    const value = Number(raw);
    if (!/^[0-9]*\.?[0-9]+$/.test(raw) || !(value > 0) || value > 24 * 366) {
      throw new ConfigError(name, 'a number of hours above 0 and at most 8784 (decimals allowed)', raw);
    }
    return Math.round(value * HOUR_MS);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, raw);
    return raw as T;
  };
  const list = (name: string): string[] =>
    (read(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');

  const defaultTtl = hours('SESSION_TTL_HOURS', 24);
  const absoluteTimeout = hours('SESSION_ABSOLUTE_TIMEOUT_HOURS', 168);
  const maxTtl = hours('SESSION_MAX_TTL_HOURS', 168);
  if (defaultTtl > maxTtl) {
    throw new ConfigError('SESSION_TTL_HOURS', 'at most SESSION_MAX_TTL_HOURS', read('SESSION_TTL_HOURS') ?? '24');
  }
  const policy: TtlPolicy = {
    defaultTtl,
    maxTtl,
    absoluteTimeout,
    slidingExpiration: oneOf('SESSION_SLIDING_EXPIRATION', ['true', 'false'], 'true') === 'true',
  };
  const limits: SessionLimits = {
    maxDataBytes: integer('SESSION_MAX_DATA_BYTES', 65_536, 2, 1_048_576),
    maxDepth: integer('JSON_MAX_DEPTH', 32, 1, 256),
  };

  const apiTokens = list('API_TOKENS');
  const shortToken = apiTokens.find((token) => token.length < 16 || /\s/.test(token));
  if (shortToken !== undefined) {
    throw new ConfigError('API_TOKENS', 'comma-separated tokens of at least 16 characters without spaces', '<redacted>');
  }

  return {
    port: integer('PORT', 8080, 0, 65_535),
    host: read('HOST') ?? '0.0.0.0',
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 65_536, 1_024, 16_777_216),
    apiTokens,
    metricsRequireToken: oneOf('METRICS_REQUIRE_TOKEN', ['true', 'false'], 'false') === 'true',
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 8_000, 0, 300_000),
    shutdownDelayMs: integer('SHUTDOWN_DELAY_MS', 1_000, 0, 60_000),
    policy,
    limits,
    store: storeConfig(read, integer, list),
  };
}

function storeConfig(
  read: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  list: (name: string) => string[],
): StoreConfig {
  const chosen = read('SESSION_STORE');
  if (chosen !== undefined && !(STORES as readonly string[]).includes(chosen)) {
    throw new ConfigError('SESSION_STORE', `one of ${STORES.join(', ')}`, chosen);
  }
  const redisUrl = read('REDIS_URL');
  const clusterNodes = list('REDIS_CLUSTER_NODES');
  const kind =
    chosen ??
    (read('DYNAMODB_TABLE_NAME') !== undefined
      ? 'dynamodb'
      : redisUrl !== undefined || clusterNodes.length > 0
        ? 'redis'
        : 'memory');

  if (kind === 'redis') {
    if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
      throw new ConfigError('REDIS_URL', 'a redis:// or rediss:// URL', redisUrl);
    }
    const badNode = clusterNodes.find((node) => !HOST_PORT.test(node));
    if (badNode !== undefined) throw new ConfigError('REDIS_CLUSTER_NODES', 'comma-separated host:port pairs', badNode);
    if (redisUrl === undefined && clusterNodes.length === 0) {
      throw new ConfigError('REDIS_URL', 'a redis:// URL (or REDIS_CLUSTER_NODES) when SESSION_STORE=redis', '');
    }
    const keyPrefix = read('REDIS_KEY_PREFIX') ?? 'session-api:';
    if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(keyPrefix)) {
      throw new ConfigError('REDIS_KEY_PREFIX', '1 to 64 of A-Z a-z 0-9 : _ . -', keyPrefix);
    }
    return {
      kind,
      url: redisUrl,
      clusterNodes: clusterNodes.length > 0 ? clusterNodes : undefined,
      keyPrefix,
      commandTimeoutMs: integer('REDIS_COMMAND_TIMEOUT_MS', 1_000, 10, 60_000),
    };
  }
  if (kind === 'dynamodb') {
    const tableName = read('DYNAMODB_TABLE_NAME') ?? '';
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
      throw new ConfigError('DYNAMODB_TABLE_NAME', '3 to 255 of A-Z a-z 0-9 _ . - (required for dynamodb)', tableName);
    }
    const region = read('AWS_REGION') ?? '';
    if (!/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(region)) {
      throw new ConfigError('AWS_REGION', 'an AWS region such as us-west-2 (required for dynamodb)', region);
    }
    const endpoint = read('DYNAMODB_ENDPOINT');
    if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint)) {
      throw new ConfigError('DYNAMODB_ENDPOINT', 'an http:// or https:// URL', endpoint);
    }
    return { kind, tableName, region, endpoint };
  }
  return { kind: 'memory' };
}
