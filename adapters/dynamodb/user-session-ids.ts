import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { request } from './table-request.js';
import { userHomeQuery } from './user-home-query.js';

/**
 * The ids of every session of a user, live or expired but not yet reaped: the Query of the
 * user's home (`userHomeQuery`), page by page (1 MB each), fetching only the key.
 */
export async function userSessionIds(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  home: string,
): Promise<string[]> {
  const query = userHomeQuery(tableName, home, userId);
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await request('Query', () =>
      client.send(
        new QueryCommand({
          ...query,
          ProjectionExpression: '#id',
          ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#id': 'id' },
          ...(start && { ExclusiveStartKey: start }),
        }),
      ),
    );
    for (const item of result.Items ?? []) ids.push(String(item['id']));
    start = result.LastEvaluatedKey;
  } while (start !== undefined);
  return ids;
}
