import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  PayloadTooLargeError,
  StoreUnavailableError,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type RefreshChange,
  type Session,
  type SessionStore,
  type WriteOutcome,
} from '../../core/index.js';
import { deleteIdsInBatches } from './batch-delete.js';
import { MAX_ITEM_BYTES, sessionItemSize } from './item-size.js';
import {
  decodeTableCursor,
  decodeUserIndexCursor,
  encodeTableCursor,
  encodeUserIndexCursor,
} from './page-cursor.js';
import { expiresAtSeconds, fromSessionItem, toSessionItem, type SessionItem } from './session-item.js';
import { conditionFailureImage, isConditionalCheckFailed, toStoreError } from './store-error.js';
import { describeSessionTable } from './table-status.js';
import { userSessionKeys } from './user-session-keys.js';
import { sessionTableLayout } from './table-layout.js';

const USER_INDEX = sessionTableLayout.userIndex.IndexName;

// `data`, `ttl` and friends are DynamoDB reserved words, so expressions name attributes this way.
const NAMES = {
  '#id': 'id',
  '#userId': 'userId',
  '#expiresAtMs': 'expiresAtMs',
  '#expiresAtSeconds': 'expiresAtSeconds',
  '#updatedAt': 'updatedAt',
  '#version': 'version',
} as const;

/** The write went through only if the stored session is at the version read and still live. */
const LIVE_AT_VERSION = '#version = :expected AND #expiresAtMs > :now';

/**
 * The session store of the production deployment: one DynamoDB table keyed by `id`, with a
 * `userId` index ranged by the exact deadline (see {@link sessionTableLayout}). Every write is
 * one conditional request; every read filters by `now`, since TTL deletes late.
 */
export class DynamoSessionStore implements SessionStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  /** `client` is the caller's: the store neither configures nor closes it. */
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async create(session: Session, _now: number): Promise<'created' | 'exists'> {
    const item = checkedItem(session);
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          // An expired item still holds its id until deleted, as the port says.
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': NAMES['#id'] },
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'exists';
      throw toStoreError(error, 'PutItem');
    }
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const item = await this.#read(id);
    return item && isLiveItem(item, now) ? fromSessionItem(item) : undefined;
  }

  async replace(session: Session, expectedVersion: number, now: number): Promise<WriteOutcome> {
    const item = checkedItem(session);
    return this.#conditionalWrite(session.id, now, 'PutItem', () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: LIVE_AT_VERSION,
          ExpressionAttributeNames: { '#version': NAMES['#version'], '#expiresAtMs': NAMES['#expiresAtMs'] },
          ExpressionAttributeValues: { ':expected': expectedVersion, ':now': now },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
  }

  async refresh(id: string, change: RefreshChange, now: number): Promise<WriteOutcome> {
    // No size check: a refresh rewrites four numbers of an item already within the limit.
    return this.#conditionalWrite(id, now, 'UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { id },
          UpdateExpression:
            'SET #expiresAtMs = :expiresAt, #expiresAtSeconds = :expiresAtSeconds, #updatedAt = :updatedAt, #version = :next',
          ConditionExpression: LIVE_AT_VERSION,
          ExpressionAttributeNames: {
            '#version': NAMES['#version'],
            '#expiresAtMs': NAMES['#expiresAtMs'],
            '#expiresAtSeconds': NAMES['#expiresAtSeconds'],
            '#updatedAt': NAMES['#updatedAt'],
          },
          ExpressionAttributeValues: {
            ':expected': change.expectedVersion,
            ':next': change.expectedVersion + 1,
            ':now': now,
            ':expiresAt': change.expiresAt,
            ':expiresAtSeconds': expiresAtSeconds(change.expiresAt),
            ':updatedAt': change.updatedAt,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
  }

  async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    if (expectedVersion !== undefined) {
      const outcome = await this.#conditionalWrite(id, now, 'DeleteItem', () =>
        this.#client.send(
          new DeleteCommand({
            TableName: this.#tableName,
            Key: { id },
            ConditionExpression: LIVE_AT_VERSION,
            ExpressionAttributeNames: { '#version': NAMES['#version'], '#expiresAtMs': NAMES['#expiresAtMs'] },
            ExpressionAttributeValues: { ':expected': expectedVersion, ':now': now },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return outcome === 'written' ? 'deleted' : outcome;
    }
    // Unconditional on purpose: an expired item goes too (as in the memory store), and the old
    // image returned by the same atomic request says whether it was live.
    try {
      const result = await this.#client.send(
        new DeleteCommand({ TableName: this.#tableName, Key: { id }, ReturnValues: 'ALL_OLD' }),
      );
      return result.Attributes !== undefined && isLiveItem(result.Attributes, now) ? 'deleted' : 'missing';
    } catch (error) {
      throw toStoreError(error, 'DeleteItem');
    }
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    const start = page.cursor === undefined ? undefined : decodeTableCursor(page.cursor);
    let result;
    try {
      result = await this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          // One more than asked: when all of them are live, a next page surely exists.
          Limit: page.limit + 1,
          ConsistentRead: true,
          FilterExpression: '#expiresAtMs > :now',
          ExpressionAttributeNames: { '#expiresAtMs': NAMES['#expiresAtMs'] },
          ExpressionAttributeValues: { ':now': now },
          ...(start && { ExclusiveStartKey: { id: start.id } }),
        }),
      );
    } catch (error) {
      throw toStoreError(error, 'Scan');
    }
    const sessions = (result.Items ?? []).map(fromSessionItem);
    if (sessions.length > page.limit) {
      const shown = sessions.slice(0, page.limit);
      return { sessions: shown, nextCursor: encodeTableCursor(lastOf(shown)) };
    }
    // The Scan stopped at its Limit or at 1 MB: more may follow, even though this page is short.
    const next = result.LastEvaluatedKey;
    return {
      sessions,
      nextCursor: next === undefined ? null : encodeTableCursor({ id: String(next['id']) }),
    };
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const start = page.cursor === undefined ? undefined : decodeUserIndexCursor(page.cursor, userId);
    let result;
    try {
      result = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: USER_INDEX,
          // The key condition does the liveness filtering, so every item read is one to show.
          KeyConditionExpression: '#userId = :userId AND #expiresAtMs > :now',
          ExpressionAttributeNames: { '#userId': NAMES['#userId'], '#expiresAtMs': NAMES['#expiresAtMs'] },
          ExpressionAttributeValues: { ':userId': userId, ':now': now },
          Limit: page.limit + 1,
          // A cursor whose deadline has passed lies before every live item: start from the first.
          // (DynamoDB refuses a start key outside the key condition.)
          ...(start && start.expiresAtMs > now && { ExclusiveStartKey: { ...start } }),
        }),
      );
    } catch (error) {
      throw toStoreError(error, 'Query');
    }
    const sessions = (result.Items ?? []).map(fromSessionItem);
    if (sessions.length > page.limit) {
      const shown = sessions.slice(0, page.limit);
      const last = lastOf(shown);
      return {
        sessions: shown,
        nextCursor: encodeUserIndexCursor({ id: last.id, userId, expiresAtMs: last.expiresAt }),
      };
    }
    const next = result.LastEvaluatedKey;
    return {
      sessions,
      nextCursor:
        next === undefined
          ? null
          : encodeUserIndexCursor({ id: String(next['id']), userId, expiresAtMs: Number(next['expiresAtMs']) }),
    };
  }

  async deleteByUser(userId: string, now: number): Promise<number> {
    // Expired sessions go too (they only wait for TTL), but only live ones are counted.
    const keys = await userSessionKeys(this.#client, this.#tableName, userId);
    await deleteIdsInBatches(this.#client, this.#tableName, keys.map((key) => key.id));
    return keys.filter((key) => key.expiresAtMs > now).length;
  }

  async ping(): Promise<void> {
    let status;
    try {
      status = await describeSessionTable(this.#client, this.#tableName);
    } catch (error) {
      throw toStoreError(error, 'DescribeTable');
    }
    if (status !== 'ready') throw new StoreUnavailableError(`table ${this.#tableName}: ${status}`);
  }

  /** The item with this id, read strongly consistent so a write is seen by the next read. */
  async #read(id: string): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { id }, ConsistentRead: true }),
      );
      return result.Item;
    } catch (error) {
      throw toStoreError(error, 'GetItem');
    }
  }

  /** Sends a write conditioned on {@link LIVE_AT_VERSION} and says what it did. */
  async #conditionalWrite(
    id: string,
    now: number,
    operation: string,
    send: () => Promise<unknown>,
  ): Promise<WriteOutcome> {
    try {
      await send();
      return 'written';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw toStoreError(error, operation);
      // DynamoDB returns the item that failed the condition (ReturnValuesOnConditionCheckFailure),
      // so the answer comes from the same atomic request. It returns none when no item exists,
      // and endpoints without the feature (dynalite) never do: then one consistent read tells.
      const image = conditionFailureImage(error);
      const current = image ?? (await this.#read(id));
      return current !== undefined && isLiveItem(current, now) ? 'conflict' : 'missing';
    }
  }
}

/** The item for a session, refused before any request if DynamoDB would refuse it. */
function checkedItem(session: Session): SessionItem {
  const item = toSessionItem(session);
  const size = sessionItemSize(item);
  if (size > MAX_ITEM_BYTES) throw new PayloadTooLargeError(size, MAX_ITEM_BYTES);
  return item;
}

function isLiveItem(item: Record<string, unknown>, now: number): boolean {
  return Number(item['expiresAtMs']) > now;
}

function lastOf(sessions: readonly Session[]): Session {
  const last = sessions.at(-1);
  if (last === undefined) throw new Error('a page cut short at its limit holds at least one session');
  return last;
}
