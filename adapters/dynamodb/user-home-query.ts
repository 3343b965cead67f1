import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * The Query of one user's sessions: a strongly consistent read of the user's home (the base
 * table, unlike an index, reads what was just written), filtered to the user's own items, which
 * drops aliases, anonymous sessions, another user's sharing the home (a home is 24 bits) and the
 * users' lease items (user-lease.ts), which have no userId.
 * With `now`, to the live ones too (TTL deletes late). Callers add paging, a limit or a projection.
 */
export function userHomeQuery(tableName: string, home: string, userId: string, now?: number): QueryCommandInput {
  const live = now !== undefined;
  return {
    TableName: tableName,
    KeyConditionExpression: '#home = :home',
    // A rotation's pending session (see DynamoSessionStore.rotate) is not live until confirmed.
    FilterExpression: live ? '#userId = :userId AND #expiresAtMs > :now AND attribute_not_exists(#pendingFrom)' : '#userId = :userId',
    ExpressionAttributeNames: { '#home': 'home', '#userId': 'userId', ...(live && { '#expiresAtMs': 'expiresAtMs', '#pendingFrom': 'pendingFrom' }) },
    ExpressionAttributeValues: { ':home': home, ':userId': userId, ...(live && { ':now': now }) },
    ConsistentRead: true,
  };
}
