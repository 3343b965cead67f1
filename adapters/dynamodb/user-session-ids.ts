import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sessionTableLayout } from './table-layout.js';
import { toStoreError } from './store-error.js';

/**
 * The ids of every session of a user, live or expired but not yet reaped, read from the user
 * index page by page (1 MB each). Only the key is fetched.
 *
 * A set, because one id can be read twice while the index is paged: when its range key is one a
 * write changes (the deadline, in the userId-expiresAtMs index), a session refreshed between two
 * pages moves behind the page just read and is met again on a later one. None is missed, because
 * the core's expiry rules only ever move a deadline later, never back behind the pages read.
 */
export async function userSessionIds(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<Set<string>> {
  const ids = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    let result;
    try {
      result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: sessionTableLayout.userIndex.IndexName,
          KeyConditionExpression: '#userId = :userId',
          ProjectionExpression: '#id',
          ExpressionAttributeNames: { '#userId': 'userId', '#id': 'id' },
          ExpressionAttributeValues: { ':userId': userId },
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
    } catch (error) {
      throw toStoreError(error, 'Query');
    }
    for (const item of result.Items ?? []) ids.add(String(item['id']));
    start = result.LastEvaluatedKey;
  } while (start !== undefined);
  return ids;
}
