import { describe, expect, it } from 'vitest';
import { conditionalRequest, isConditionFailed, request } from '../../adapters/dynamodb/table-request.js';
import { InvalidInputError, StoreUnavailableError } from '../../core/index.js';

/** An error shaped as the SDK throws it for a failed condition with ReturnValuesOnConditionCheckFailure. */
function conditionFailure(item?: Record<string, { N?: string; S?: string }>): Error {
  return Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', ...(item && { Item: item }) });
}

describe('the request wrapper', () => {
  it('turns what the SDK gave up on into StoreUnavailableError naming the operation, and keeps our own errors and bugs as they are', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    await expect(request('GetItem', () => Promise.reject(throttled))).rejects.toMatchObject({
      constructor: StoreUnavailableError,
      message: 'DynamoDB GetItem failed: ThrottlingException: slow down',
      cause: throttled,
    });
    const bug = Object.assign(new Error('bad expression'), { name: 'ValidationException' });
    await expect(request('Query', () => Promise.reject(bug))).rejects.toBe(bug);
    const ours = new InvalidInputError('cursor', 'is not a cursor this listing issued');
    await expect(request('Scan', () => Promise.reject(ours))).rejects.toBe(ours);
    await expect(request('GetItem', () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('answers a failed condition with what DynamoDB returned of the item, an alias included', async () => {
    const alias = await conditionalRequest('DeleteItem', () =>
      Promise.reject(conditionFailure({ expiresAtMs: { N: '1700000000123' }, aliasOf: { S: 'dnMh.AAAAAAAAAAAAAAAAAAAAAA' } })),
    );
    expect(isConditionFailed(alias) && alias.image).toEqual({ expiresAtMs: 1_700_000_000_123, aliasOf: 'dnMh.AAAAAAAAAAAAAAAAAAAAAA' });
    const session = await conditionalRequest('DeleteItem', () => Promise.reject(conditionFailure({ expiresAtMs: { N: '5' } })));
    expect(isConditionFailed(session) && session.image).toEqual({ expiresAtMs: 5 });
    // dynalite returns no item: the caller reads it.
    const bare = await conditionalRequest('PutItem', () => Promise.reject(conditionFailure()));
    expect(isConditionFailed(bare) && bare.image).toBeUndefined();
    const written = await conditionalRequest('PutItem', () => Promise.resolve({ Attributes: undefined }));
    expect(isConditionFailed(written)).toBe(false);
  });
});
