import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/index.js';

describe('loadConfig', () => {
  it('defaults to port 8080, 24 h sessions and the memory store', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.policy).toEqual({ defaultTtl: 86_400_000, maxTtl: 604_800_000, absoluteTimeout: 604_800_000, slidingExpiration: true, touchInterval: 60_000 });
    expect(config.store).toEqual({ kind: 'memory' });
    expect(config.bodyLimitBytes).toBe(65_536);
    expect(config.limits).toEqual({ maxDataBytes: 65_536, maxDepth: 32 });
    expect(config.apiTokens).toEqual([]);
  });

  it('reads the touch interval in whole seconds; 0 writes on every refresh', () => {
    expect(loadConfig({ SESSION_TOUCH_INTERVAL_SECONDS: '0' }).policy.touchInterval).toBe(0);
    expect(loadConfig({ SESSION_TOUCH_INTERVAL_SECONDS: '300' }).policy.touchInterval).toBe(300_000);
  });

  it('accepts decimal hours', () => {
    expect(loadConfig({ SESSION_TTL_HOURS: '0.5' }).policy.defaultTtl).toBe(1_800_000);
  });

  it('chooses the store: SESSION_STORE, else dynamodb with a table, else redis with a URL', () => {
    expect(loadConfig({ DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'us-west-2', REDIS_URL: 'redis://x:6379' }).store.kind).toBe('dynamodb');
    expect(loadConfig({ REDIS_URL: 'redis://x:6379' }).store).toMatchObject({ kind: 'redis', url: 'redis://x:6379', keyPrefix: 'session-api:', commandTimeoutMs: 1000 });
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000, b:7001' }).store).toMatchObject({ kind: 'redis', clusterNodes: ['a:7000', 'b:7001'] });
    expect(loadConfig({ SESSION_STORE: 'memory', REDIS_URL: 'redis://x' }).store.kind).toBe('memory');
    expect(loadConfig({ DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'eu-central-1', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' }).store).toEqual({
      kind: 'dynamodb',
      tableName: 'sessions',
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:8000',
    });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: '0' }],
    ['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: '-1' }],
    ['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: '1e3' }],
    ['SESSION_TTL_HOURS', { SESSION_TTL_HOURS: '200' }],
    ['SESSION_STORE', { SESSION_STORE: 'postgres' }],
    ['SESSION_SLIDING_EXPIRATION', { SESSION_SLIDING_EXPIRATION: 'yes' }],
    ['SESSION_TOUCH_INTERVAL_SECONDS', { SESSION_TOUCH_INTERVAL_SECONDS: '1.5' }],
    ['SESSION_TOUCH_INTERVAL_SECONDS', { SESSION_TOUCH_INTERVAL_SECONDS: '-1' }],
    ['SESSION_TOUCH_INTERVAL_SECONDS', { SESSION_TOUCH_INTERVAL_SECONDS: '86401' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['REDIS_URL', { SESSION_STORE: 'redis' }],
    ['REDIS_URL', { REDIS_URL: 'http://x' }],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'a:1,nope' }],
    ['REDIS_KEY_PREFIX', { REDIS_URL: 'redis://x', REDIS_KEY_PREFIX: 'has space' }],
    ['REDIS_COMMAND_TIMEOUT_MS', { REDIS_URL: 'redis://x', REDIS_COMMAND_TIMEOUT_MS: '0' }],
    ['DYNAMODB_TABLE_NAME', { SESSION_STORE: 'dynamodb', AWS_REGION: 'us-west-2' }],
    ['AWS_REGION', { DYNAMODB_TABLE_NAME: 'sessions' }],
    ['AWS_REGION', { DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'mars' }],
    ['DYNAMODB_ENDPOINT', { DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'us-west-2', DYNAMODB_ENDPOINT: 'localhost:8000' }],
    ['API_TOKENS', { API_TOKENS: 'short' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '12' }],
    ['JSON_MAX_DEPTH', { JSON_MAX_DEPTH: '0' }],
  ])('rejects a bad %s in one line naming it', (variable, env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(new RegExp(`^${variable}=`));
    expect((error as Error).message).not.toContain('\n');
  });

  // A duration that rounds below its minimum is refused, not silently zero: 0.0000001 h is
  // 0.36 ms, and every session would be born expired.
  it.each([
    ['SESSION_TTL_HOURS', '0.0000001'],
    ['SESSION_TTL_HOURS', '0.0002'],
    ['SESSION_MAX_TTL_HOURS', '0.0001'],
    ['SESSION_ABSOLUTE_TIMEOUT_HOURS', '0.00000001'],
    ['SHUTDOWN_TIMEOUT_MS', '0'],
    ['SHUTDOWN_TIMEOUT_MS', '99'],
    ['SHUTDOWN_DELAY_MS', '0.5'],
    ['STORE_STARTUP_WAIT_MS', '1.5'],
    ['STORE_STARTUP_WAIT_MS', '60001'],
  ])('refuses %s=%s: below its minimum once rounded, or out of range', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}="${value.replace('.', '\\.')}" is not valid`));
  });

  it.each([
    ['REDIS_COMMAND_TIMEOUT_MS', '9'],
    ['REDIS_COMMAND_TIMEOUT_MS', '12.5'],
  ])('refuses %s=%s with the Redis store', (variable, value) => {
    expect(() => loadConfig({ REDIS_URL: 'redis://x', [variable]: value })).toThrow(new RegExp(`^${variable}=`));
  });

  it('accepts each duration at its minimum', () => {
    const config = loadConfig({
      SESSION_TTL_HOURS: '0.0003',
      SESSION_MAX_TTL_HOURS: '0.0003',
      SESSION_ABSOLUTE_TIMEOUT_HOURS: '0.0003',
      SHUTDOWN_TIMEOUT_MS: '100',
      SHUTDOWN_DELAY_MS: '0',
      STORE_STARTUP_WAIT_MS: '0',
    });
    expect(config.policy).toMatchObject({ defaultTtl: 1080, maxTtl: 1080, absoluteTimeout: 1080 });
    expect(config).toMatchObject({ shutdownTimeoutMs: 100, shutdownDelayMs: 0, storeWaitMs: 0 });
    expect(loadConfig({ REDIS_URL: 'redis://x', REDIS_COMMAND_TIMEOUT_MS: '10' }).store).toMatchObject({ commandTimeoutMs: 10 });
  });

  // ioredis parses REDIS_URL with the WHATWG parser and decodes user and password; a URL it
  // would throw on at start-up is a bad setting, and the line never shows the password.
  it.each([
    'redis://:hunter2-secret@127.0.0.1:notaport',
    'redis://:hunter2-secret@127.0.0.1:99999',
    'redis://:hunter2-secret@[::1',
    'redis://:hunter2-secret%zz@127.0.0.1:6379',
    'redis://user:hunter2-secret@127.0.0.1:6379/x y',
    'http://:hunter2-secret@127.0.0.1:6379',
    'redis://:hunter2/secret@',
  ])('refuses REDIS_URL=%s without showing its password', (value) => {
    let error: unknown;
    try {
      loadConfig({ REDIS_URL: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^REDIS_URL="[^"]*\*\*\*[^"]*" is not valid/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('reads a store setting only when that store is chosen', () => {
    expect(loadConfig({ SESSION_STORE: 'memory', REDIS_URL: 'nonsense', REDIS_COMMAND_TIMEOUT_MS: '0' }).store).toEqual({ kind: 'memory' });
  });

  it('never echoes a token in its error', () => {
    expect(() => loadConfig({ API_TOKENS: 'secret' })).toThrow(/<redacted>/);
  });
});
