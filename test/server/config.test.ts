import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/index.js';

describe('loadConfig', () => {
  it('defaults to port 8080, 24 h sessions and the memory store', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.policy).toEqual({ defaultTtl: 86_400_000, maxTtl: 604_800_000, absoluteTimeout: 604_800_000, slidingExpiration: true });
    expect(config.store).toEqual({ kind: 'memory' });
    expect(config.bodyLimitBytes).toBe(65_536);
    expect(config.limits).toEqual({ maxDataBytes: 65_536, maxDepth: 32 });
    expect(config.apiTokens).toEqual([]);
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

  it('never echoes a token in its error', () => {
    expect(() => loadConfig({ API_TOKENS: 'secret' })).toThrow(/<redacted>/);
  });
});
