import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { request } from './table-request.js';

/**
 * The ids of every session of a user, live or expired but not yet reaped: a strongly consistent
 * Query of the user's home, page by page (1 MB each), fetching only the key. The home may hold
 * other users' and anonymous sessions (a home is 24 bits) and aliases: the filter drops them.
 */
export async function userSessionIds(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  home: string,
): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await request('Query', () =>
      client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#home = :home',
          FilterExpression: '#userId = :userId',
          ProjectionExpression: '#id',
          ExpressionAttributeNames: { '#home': 'home', '#userId': 'userId', '#id': 'id' },
          ExpressionAttributeValues: { ':home': home, ':userId': userId },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      ),
    );
    for (const item of result.Items ?? []) ids.push(String(item['id']));
    start = result.LastEvaluatedKey;
  } while (start !== undefined);
  return ids;
}
