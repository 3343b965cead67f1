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
  fillPage,
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
import { deleteEachSession } from './delete-each-session.js';
import { MAX_ITEM_BYTES, sessionItemSize } from './item-size.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { expiresAtSeconds, fromSessionItem, toSessionItem, type SessionItem } from './session-item.js';
import { conditionFailureImage, isConditionalCheckFailed, toStoreError } from './store-error.js';
import { describeSessionTable } from './table-status.js';
import { userSessionIds } from './user-session-ids.js';
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
 * `userId` index ranged by `id` (see {@link sessionTableLayout}). Every write is
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
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, undefined);
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
          ...(after !== undefined && { ExclusiveStartKey: { id: after } }),
        }),
      );
    } catch (error) {
      throw toStoreError(error, 'Scan');
    }
    // The Scan stopped at its Limit or at 1 MB: more may follow, even when this page is short.
    return pageOf(result.Items ?? [], page, result.LastEvaluatedKey, undefined);
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, userId);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined = after === undefined ? undefined : { userId, id: after };
    // The index is ranged by id, so expired sessions (until TTL reaps them) are filtered after
    // the read, and a Query may come back short. Each further Query reads twice as many, so
    // expired sessions in the way cost a few round trips, not one each.
    for (let read = page.limit + 1; ; read *= 2) {
      let result;
      try {
        result = await this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: USER_INDEX,
            KeyConditionExpression: '#userId = :userId',
            FilterExpression: '#expiresAtMs > :now',
            ExpressionAttributeNames: { '#userId': NAMES['#userId'], '#expiresAtMs': NAMES['#expiresAtMs'] },
            ExpressionAttributeValues: { ':userId': userId, ':now': now },
            Limit: read,
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
      } catch (error) {
        throw toStoreError(error, 'Query');
      }
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      // Done when the page is full, the index has no more, or DynamoDB stopped at its 1 MB read
      // limit before `read` items (then the page may be short, and its cursor goes on from there).
      if (start === undefined || fillPage(items, page, itemDataBytes).more || (result.ScannedCount ?? 0) < read) {
        return pageOf(items, page, start, userId);
      }
    }
  }

  async deleteByUser(userId: string, now: number): Promise<number> {
    // Expired sessions go too (they only wait for TTL), but only live ones are counted, each by
    // the one call whose delete removed it (see deleteEachSession).
    const ids = await userSessionIds(this.#client, this.#tableName, userId);
    return deleteEachSession(this.#client, this.#tableName, ids, now);
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

/** The bytes a page counts for an item: its data's JSON text in UTF-8. */
function itemDataBytes(item: Record<string, unknown>): number {
  return Buffer.byteLength(String(item['data']), 'utf8');
}

/**
 * The page of live `items` (in listing order) that `page` asks for. A page cut by the rules
 * resumes after its last session; otherwise after `lastEvaluated`, where DynamoDB stopped
 * reading, and it ends when DynamoDB read everything.
 */
function pageOf(
  items: readonly Record<string, unknown>[],
  page: PageRequest,
  lastEvaluated: Record<string, unknown> | undefined,
  userId: string | undefined,
): Page {
  const { taken, more } = fillPage(items, page, itemDataBytes);
  const sessions = taken.map(fromSessionItem);
  const resume = more ? sessions.at(-1)?.id : lastEvaluated === undefined ? undefined : String(lastEvaluated['id']);
  return { sessions, nextCursor: resume === undefined ? null : encodeCursor(resume, userId) };
}
