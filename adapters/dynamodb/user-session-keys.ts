import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sessionTableLayout } from './table-layout.js';
import { toStoreError } from './store-error.js';

/** A session of a user, as far as deleting it needs. */
export interface UserSessionKey {
  readonly id: string;
  readonly expiresAtMs: number;
}

/**
 * Every session of a user, live or expired but not yet reaped, read from the user index page
 * by page (1 MB each). Only the key and the deadline are fetched.
 */
export async function userSessionKeys(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<UserSessionKey[]> {
  const keys: UserSessionKey[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    let result;
    try {
      result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: sessionTableLayout.userIndex.IndexName,
          KeyConditionExpression: '#userId = :userId',
          ProjectionExpression: '#id, #expiresAtMs',
          ExpressionAttributeNames: { '#userId': 'userId', '#id': 'id', '#expiresAtMs': 'expiresAtMs' },
          ExpressionAttributeValues: { ':userId': userId },
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
    } catch (error) {
      throw toStoreError(error, 'Query');
    }
    for (const item of result.Items ?? []) {
      keys.push({ id: String(item['id']), expiresAtMs: Number(item['expiresAtMs']) });
    }
    start = result.LastEvaluatedKey;
  } while (start !== undefined);
  return keys;
}
