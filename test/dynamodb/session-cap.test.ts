import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/index.js';
import { ConfigError, loadConfig } from '../../server/index.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';
import { makeSession, T0 } from '../support/session-fixtures.js';

let dynamo: DynamoTestStore;
beforeAll(async () => {
  dynamo = await openDynamoTestStore();
});
afterAll(() => dynamo?.close());

// The DynamoDB store does not apply a session cap yet (docs/dynamodb-layout.md): it must say so,
// never write an uncapped session under a cap.
describe('the DynamoDB store and the session cap', () => {
  it('refuses a capped create of a user session and writes nothing', async () => {
    const session = makeSession(T0, { userId: 'capped-user' });
    await expect(dynamo.store.create(session, T0, { limit: { max: 1, policy: 'evict-oldest' } })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await dynamo.store.get(session.id, T0)).toBeUndefined();
    expect(await dynamo.store.countByUser('capped-user', T0)).toBe(0);
  });

  it('creates an anonymous session under a limit (the cap is per user)', async () => {
    const session = makeSession(T0, { userId: undefined });
    expect(await dynamo.store.create(session, T0, { limit: { max: 1, policy: 'reject' } })).toBe('created');
  });

  it('the service will not start on DynamoDB with SESSION_MAX_PER_USER set', () => {
    const env = { SESSION_STORE: 'dynamodb', DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'us-west-2', SESSION_MAX_PER_USER: '5' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^SESSION_MAX_PER_USER="5" is not valid/);
    expect(loadConfig({ ...env, SESSION_MAX_PER_USER: '0' }).sessionLimit).toBeUndefined();
  });
});
