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
  evictionsFor,
  fillPage,
  isSessionHandle,
  PayloadTooLargeError,
  StoreUnavailableError,
  userHome,
  webCryptoSha256,
  type CreateOptions,
  type CreateOutcome,
  type DeleteOutcome,
  type Page,
  type PageRequest,
  type Ranked,
  type RotateOptions,
  type RotateOutcome,
  applyChange,
  type Session,
  type SessionChange,
  type SessionEventLog,
  type SessionStore,
  type Sha256,
  takeJsonText,
} from '../../core/index.js';
import { deleteAliasOf, deleteEachSession } from './delete-each-session.js';
import { DynamoEventLog, type DynamoEventLogOptions } from './dynamo-event-log.js';
import type { RecordEvents, UnnumberedEvent } from './event-items.js';
import { changedEvent, createdEvent, endedEvent, expiredEvent, rotationEvents } from './item-events.js';
import { MAX_ITEM_BYTES, sessionItemSize, sessionItemSizeBound } from './item-size.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import {
  expiresAtSeconds,
  fromSessionItem,
  isAliasItem,
  itemKey,
  toAliasItem,
  toSessionItem,
  type AliasItem,
  type SessionItem,
} from './session-item.js';
import { conditionalRequest, isConditionFailed, request } from './table-request.js';
import { describeSessionTable } from './table-status.js';
import { LocalTurns } from './local-turns.js';
import { applyCap, type CappedResult, type CappedStep, type CapTarget } from './user-cap.js';
import { userHomeQuery } from './user-home-query.js';
import { userSessionIds } from './user-session-ids.js';

// `data`, `ttl` and friends are DynamoDB reserved words, so expressions name attributes this way.
const NAMES = {
  '#id': 'id',
  '#expiresAtMs': 'expiresAtMs',
  '#expiresAtSeconds': 'expiresAtSeconds',
  '#version': 'version',
} as const;

/** How many read-then-write pairs an update without an expected version tries before giving up. */
const UPDATE_ATTEMPTS = 8;

/** Options of the DynamoDB store. */
export interface DynamoSessionStoreOptions {
  /** How the store hashes a userId to its home (default: Web Crypto's SHA-256; the server passes node:crypto's). */
  readonly sha256?: Sha256;
  /**
   * Whether the store records lifecycle events, and how (off by default: each change then costs
   * two writes more). See `DynamoEventLog` and docs/dynamodb-layout.md, "Events", for what is
   * guaranteed without DynamoDB Streams or transactions.
   */
  readonly events?: boolean | DynamoEventLogOptions | undefined;
}

/**
 * The session store of the production deployment: one DynamoDB table whose partition is the
 * handle's home and whose sort key is the handle (see `sessionTableLayout`), so a session's
 * handle names its item and a user's sessions are one partition; an alias is an item of its own
 * keyed by the alias handle (see docs/dynamodb-layout.md). Every write of a session is one
 * conditional request; every read filters by `now`, since TTL deletes late.
 */
export class DynamoSessionStore implements SessionStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #sha256: Sha256;
  /** This instance's queue of each user's capped writes (see LocalTurns). */
  readonly #turns = new LocalTurns();
  readonly #log: DynamoEventLog | undefined;
  /** How long past a deadline TTL waits to reap a session item (see `DynamoEventLogOptions.reapDelayMs`). */
  readonly #reapDelaySeconds: number;
  /** Records the events of a change, after it (nothing without a log). */
  readonly #record: RecordEvents;

  /** `client` is the caller's: the store neither configures nor closes it. */
  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoSessionStoreOptions = {}) {
    this.#client = client;
    this.#tableName = tableName;
    this.#sha256 = options.sha256 ?? webCryptoSha256;
    const { events } = options;
    const log = events === undefined || events === false ? undefined : new DynamoEventLog(client, tableName, events === true ? {} : events);
    this.#log = log;
    this.#reapDelaySeconds = log === undefined ? 0 : Math.ceil(log.reapDelayMs / 1000);
    this.#record = log === undefined ? async () => undefined : (recorded, now) => log.record(recorded, now);
  }

  /** The event log, when the store was built with `events` on. */
  get events(): SessionEventLog | undefined {
    return this.#log;
  }

  /**
   * Without an alias, one conditional PutItem (only over a free or expired name). With one: a
   * consistent GetItem of the handle, then the alias item's PutItem, then the session's (both
   * conditional); if the session's handle was taken meanwhile, the alias just written is taken back.
   * With a `limit` for a user's session, all of that under the user's lease (see `applyCap`): a
   * PutItem of the lease, a Query of the user's live sessions, the create, a DeleteItem per
   * session evicted (and its alias), a DeleteItem of the lease.
   */
  async create(session: Session, now: number, options: CreateOptions = {}): Promise<CreateOutcome> {
    const { alias, limit } = options;
    const item = checkedItem(session, alias, this.#reapDelaySeconds);
    if (limit === undefined || session.userId === undefined) {
      return (await this.#createOne(item, alias, now, () => [])) === 'written' ? 'created' : 'exists';
    }
    const capped = await this.#underCap(
      { userId: session.userId, ownId: session.id, limit, repair: 'remove-own' },
      now,
      async (live) => {
        // Taken by a live session of this user: the Query just read it.
        if (live.some((other) => other.id === session.id)) return { outcome: 'exists' as const, wrote: false, evict: [] };
        const victims = evictionsFor(live, limit);
        const outcome = await this.#createOne(item, alias, now, () => victims);
        return { outcome, wrote: outcome === 'written', evict: outcome === 'written' && victims !== 'refused' ? victims.map((victim) => victim.id) : [] };
      },
    );
    if (capped.outcome !== 'written') return capped.outcome;
    // A repair found the user over the cap under reject, this create's session the one too many.
    if (capped.removedOwn) return 'refused';
    return capped.evicted.length === 0 ? 'created' : { evicted: capped.evicted };
  }

  /**
   * The writes of a create once the cap (if any) is decided: `decide` answers the evictions or
   * `refused`, asked after the handle and alias are known free (a taken name answers `exists`
   * first, as in the memory store) and before the session is written. A refused create writes
   * nothing (the alias written for the check is taken back).
   */
  /** `write` under `target`'s cap, with this store's client, table, hash and turns (see `applyCap`). */
  #underCap<T>(target: CapTarget, now: number, write: (live: readonly Ranked[]) => Promise<CappedStep<T>>): Promise<CappedResult<T>> {
    return applyCap(this.#client, this.#tableName, this.#sha256, this.#turns, this.#record, target, now, write);
  }

  async #createOne(
    item: SessionItem,
    alias: string | undefined,
    now: number,
    decide: () => readonly unknown[] | 'refused',
  ): Promise<'written' | 'exists' | 'refused'> {
    const events: (UnnumberedEvent | undefined)[] = [];
    if (alias !== undefined) {
      // The handle is checked first, so that a create refused for its handle never holds the
      // alias, even for a moment, against a racing create with the same alias that would win.
      const held = await this.#read(item.id);
      if (held !== undefined && isLiveItem(held, now)) return 'exists';
      const aliasPut = await this.#putIfFree(toAliasItem(alias, item.id, item.expiresAtMs), now);
      if (aliasPut === 'taken') return 'exists';
      // An expired session the alias item replaced is gone, whatever this create ends with.
      events.push(aliasPut.reclaimed);
    }
    let outcome: 'written' | 'exists' | 'refused';
    try {
      if (decide() === 'refused') {
        // Refused, unless the handle is taken (then `exists`, as the memory store answers first).
        const held = alias === undefined ? await this.#read(item.id) : undefined;
        outcome = held !== undefined && isLiveItem(held, now) ? 'exists' : 'refused';
      } else {
        const put = await this.#putIfFree(item, now);
        outcome = put === 'taken' ? 'exists' : 'written';
        if (put !== 'taken') events.push(put.reclaimed, createdEvent(item, now));
      }
    } catch (error) {
      if (alias !== undefined) await deleteAliasOf(this.#client, this.#tableName, { id: item.id, alias }).catch(() => undefined);
      throw error;
    }
    if (outcome !== 'written' && alias !== undefined) await deleteAliasOf(this.#client, this.#tableName, { id: item.id, alias });
    // Last, so that an event the store fails to record leaves the create as it is (see "Events").
    await this.#record(events, now);
    return outcome;
  }

  async get(id: string, now: number): Promise<Session | undefined> {
    const item = await this.#read(id);
    return item && !isAliasItem(item) && isLiveItem(item, now) && (await this.#confirmed(item)) ? fromSessionItem(item) : undefined;
  }

  /**
   * Two items and no transaction (dynalite has none), so three conditional requests, each atomic:
   * (1) the new session is put pending (`pendingFrom`: the old handle), which no read takes for
   * live, no listing shows and no count counts unless the old handle's item is the forwarder naming
   * it; (2) the old session's item is replaced by that forwarder, an alias item of the new session
   * with its own `graceUntilMs`, on condition that it is still the live session at the version
   * read (the linearization point: before it only the old session is live, after it only the new
   * one); (3) the new session is confirmed (`pendingFrom` removed, its alias set to the old handle,
   * or with no grace the forwarder deleted). A crash after (1) leaves a pending item nobody reads
   * and TTL reaps; after (2), one that reads confirm, and `get` finishes the rotation.
   */
  async rotate(oldId: string, next: Session, now: number, options: RotateOptions): Promise<RotateOutcome> {
    const old = await this.#read(oldId);
    if (old === undefined || isAliasItem(old) || !isLiveItem(old, now)) return 'missing';
    if (Number(old['version']) !== next.version - 1) return 'conflict';
    const { limit } = options;
    if (limit === undefined || next.userId === undefined) {
      const outcome = await this.#rotateSteps(old, next, now, options.graceUntil, () => []);
      return outcome === 'moved' ? { session: next, evicted: [] } : outcome;
    }
    // Into a capped user's place: the same three steps under the user's lease (see `applyCap`),
    // deciding on the user's live sessions but the old one, which the rotation replaces.
    const capped = await this.#underCap(
      { userId: next.userId, ownId: next.id, limit, repair: 'keep-own' },
      now,
      async (live) => {
        const victims = evictionsFor(live.filter((other) => other.id !== oldId && other.id !== next.id), limit);
        const outcome = await this.#rotateSteps(old, next, now, options.graceUntil, () => victims);
        return { outcome, wrote: outcome === 'moved', evict: outcome === 'moved' && victims !== 'refused' ? victims.map((victim) => victim.id) : [] };
      },
    );
    return capped.outcome === 'moved' ? { session: next, evicted: capped.evicted } : capped.outcome;
  }

  /**
   * The three steps of a rotation from `old` (read live at `next.version - 1`). `decide` answers
   * the cap's evictions or `refused`, asked once the new handle is known free (a taken one is
   * `exists` first, as for `create`) and before the old session is replaced: a refused rotation
   * takes back its pending item, which nothing reads, so it wrote nothing anyone sees.
   */
  async #rotateSteps(
    old: Record<string, unknown>,
    next: Session,
    now: number,
    graceUntil: number,
    decide: () => readonly unknown[] | 'refused',
  ): Promise<'moved' | 'missing' | 'conflict' | 'exists' | 'refused'> {
    const oldId = String(old['id']);
    const pending = { ...checkedItem(next, undefined, this.#reapDelaySeconds), pendingFrom: oldId };
    const pendingPut = await this.#putIfFree(pending, now);
    if (pendingPut === 'taken') return 'exists';
    // An expired session the pending item replaced is gone, whatever this rotation ends with.
    await this.#record([pendingPut.reclaimed], now);
    const forwarder = { ...toAliasItem(oldId, next.id, next.expiresAt), graceUntilMs: graceUntil };
    const refused = decide() === 'refused';
    const moved =
      !refused &&
      (await this.#put(
        forwarder,
        '#version = :read AND #expiresAtMs > :now AND attribute_not_exists(#aliasOf)',
        { '#version': NAMES['#version'], '#expiresAtMs': NAMES['#expiresAtMs'], '#aliasOf': 'aliasOf' },
        { ':read': next.version - 1, ':now': now },
      ));
    if (!moved) {
      await conditionalRequest('DeleteItem', () =>
        this.#client.send(
          new DeleteCommand({
            TableName: this.#tableName,
            Key: itemKey(next.id),
            ConditionExpression: '#pendingFrom = :old',
            ExpressionAttributeNames: { '#pendingFrom': 'pendingFrom' },
            ExpressionAttributeValues: { ':old': oldId },
          }),
        ),
      );
      if (refused) return 'refused';
      const now2 = await this.#read(oldId);
      return now2 !== undefined && !isAliasItem(now2) && isLiveItem(now2, now) ? 'conflict' : 'missing';
    }
    await deleteAliasOf(this.#client, this.#tableName, old);
    await this.#confirm(next.id, oldId, graceUntil > now);
    // Of step (2), the linearization point; recorded last, as every event (see "Events").
    await this.#record(rotationEvents(old, next, graceUntil, now), now);
    return 'moved';
  }

  /** Whether a session item is live as far as rotations go: not pending, or pending and confirmed (then finished). */
  async #confirmed(item: Record<string, unknown>): Promise<boolean> {
    const from = item['pendingFrom'];
    if (typeof from !== 'string') return true;
    const forwarder = await this.#read(from);
    if (forwarder === undefined || forwarder['aliasOf'] !== item['id']) return false;
    await this.#confirm(String(item['id']), from, Number(forwarder['graceUntilMs']) > Number(item['updatedAt']));
    return true;
  }

  /** Step (3) of a rotation: the pending session confirmed; with no grace, the forwarder gone. */
  async #confirm(id: string, oldId: string, grace: boolean): Promise<void> {
    await conditionalRequest('UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: itemKey(id),
          UpdateExpression: grace ? 'REMOVE #pendingFrom SET #alias = :old' : 'REMOVE #pendingFrom',
          ConditionExpression: '#pendingFrom = :old',
          ExpressionAttributeNames: { '#pendingFrom': 'pendingFrom', ...(grace && { '#alias': 'alias' }) },
          ExpressionAttributeValues: { ':old': oldId },
        }),
      ),
    );
    if (!grace) await deleteAliasOf(this.#client, this.#tableName, { id, alias: oldId });
  }

  /** One GetItem; a second when the handle is an alias, which counts only while its session names it back. */
  async resolve(handle: string, now: number): Promise<Session | undefined> {
    const item = await this.#read(handle);
    if (item === undefined) return undefined;
    if (!isAliasItem(item)) return isLiveItem(item, now) ? fromSessionItem(item) : undefined;
    // A rotation's old handle resolves only within its grace.
    if (typeof item['graceUntilMs'] === 'number' && item['graceUntilMs'] <= now) return undefined;
    const target = await this.#read(String(item['aliasOf']));
    // A pending session names this very forwarder, just read: it is confirmed.
    const named = target !== undefined && (target['alias'] === handle || target['pendingFrom'] === handle);
    return named && !isAliasItem(target) && isLiveItem(target, now) ? fromSessionItem(target) : undefined;
  }

  /**
   * One UpdateItem in the common cases: a slide that lands past the old deadline and within the
   * absolute timeout, or a write that keeps a deadline already within it (conditions on the
   * item's derived attributes stand in for the min and max DynamoDB cannot compute). Otherwise
   * (the absolute timeout cuts the slide, the item is missing, expired or at another version), a
   * consistent GetItem, then a PutItem of `applyChange`'s result conditioned on the version read,
   * retried when the version moved and none was asked for. A session with an alias whose
   * deadline moved has its alias item's deadline set to match (one request more).
   *
   * A refresh that may be throttled (`touchInterval` > 0) starts with the GetItem instead: a
   * throttled one then answers the session read, one strongly consistent read and no write; one
   * that writes is that read plus the PutItem on the version read, once per interval. Not a
   * conditional UpdateItem that fails when throttled: DynamoDB bills a failed condition as a
   * write (WCU, five times a read's price) and sends it to the leader like one, and the image
   * it returns on failure (ReturnValuesOnConditionCheckFailure) is not in dynalite either, so
   * the throttled refresh, the common one, would be the expensive one.
   */
  async update(id: string, change: SessionChange, now: number): Promise<Session | 'conflict' | 'missing'> {
    const mayBeThrottled = change.data === undefined && (change.touchInterval ?? 0) > 0;
    const updated = mayBeThrottled ? undefined : await this.#updateInPlace(id, change, now);
    if (updated !== undefined) {
      const next = fromSessionItem(updated);
      // In place, the old deadline is not returned, but with a log a slide there always moved it
      // (see #updateInPlace), and without one it stayed.
      const before = { expiresAt: change.slide ? Number.NEGATIVE_INFINITY : next.expiresAt };
      if (typeof updated['alias'] === 'string' && change.slide) await this.#followDeadline(updated['alias'], next);
      await this.#record([changedEvent(before, next, change, now)], now);
      return next;
    }
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const item = await this.#read(id);
      if (item === undefined || isAliasItem(item) || !isLiveItem(item, now)) return 'missing';
      if (typeof item['pendingFrom'] === 'string') {
        if (await this.#confirmed(item)) continue;
        return 'missing';
      }
      const current = fromSessionItem(item);
      if (change.expectedVersion !== undefined && current.version !== change.expectedVersion) return 'conflict';
      const alias = typeof item['alias'] === 'string' ? item['alias'] : undefined;
      const next = applyChange(current, change, now);
      // A throttled refresh: the session as read is the answer, and nothing is written.
      if (next === current) return current;
      const onRead = { '#version': NAMES['#version'] };
      const written = await this.#put(checkedItem(next, alias, this.#reapDelaySeconds), '#version = :read', onRead, { ':read': current.version });
      if (!written) {
        if (change.expectedVersion === undefined) continue;
        const moved = await this.#read(id);
        return moved !== undefined && !isAliasItem(moved) && isLiveItem(moved, now) ? 'conflict' : 'missing';
      }
      if (alias !== undefined && next.expiresAt !== current.expiresAt) await this.#followDeadline(alias, next);
      await this.#record([changedEvent(current, next, change, now)], now);
      return next;
    }
    throw new StoreUnavailableError(`table ${this.#tableName}: session ${id} kept changing during ${UPDATE_ATTEMPTS} updates`);
  }

  /**
   * `change` as one conditional UpdateItem, answering the item written; `undefined` when the
   * condition failed (the caller then reads and decides). The conditions make the result exactly
   * `applyChange`'s: sliding, `slideFromMs <= now` says `now + ttl >= expiresAt` (the max) and
   * `bornLessTtlMs >= now - absoluteTimeout` says `now + ttl <= createdAt + absoluteTimeout` (the
   * min), so the deadline is `now + ttl`; not sliding, `lifeMs <= absoluteTimeout` says the old
   * deadline stands.
   */
  async #updateInPlace(id: string, change: SessionChange, now: number): Promise<Record<string, unknown> | undefined> {
    const sets = ['#version = #version + :one', '#updatedAt = :now'];
    const conditions = ['attribute_exists(#version)', '#expiresAtMs > :now', 'attribute_not_exists(#pendingFrom)'];
    const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt', '#expiresAtMs': 'expiresAtMs', '#pendingFrom': 'pendingFrom' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now };
    if (change.data === undefined) {
      // A refresh that writes (one that may be throttled never comes here) marks the user active.
      sets.push('#lastActiveAt = :now');
      names['#lastActiveAt'] = 'lastActiveAt';
    } else {
      const data = takeJsonText(change.data);
      // Refused before any request if the item could grow past DynamoDB's limit.
      const size = sessionItemSizeBound(data);
      if (size > MAX_ITEM_BYTES) throw new PayloadTooLargeError(size, MAX_ITEM_BYTES);
      sets.push('#data = :data');
      names['#data'] = 'data';
      values[':data'] = data;
    }
    if (change.slide) {
      sets.push(
        '#expiresAtMs = :now + #ttl',
        '#slideFromMs = :now',
        '#lifeMs = :now - #bornLessTtlMs',
        '#expiresAtSeconds = :nowSeconds + #ttlSeconds',
      );
      // A refresh to `now + ttl` that lands on the old deadline moves nothing, which records no
      // `session.refreshed`: with a log, that one case takes the read-and-put path, which compares.
      const slides = this.#log !== undefined && change.data === undefined ? '#slideFromMs < :now' : '#slideFromMs <= :now';
      conditions.push(slides, '#bornLessTtlMs >= :earliestBirth');
      Object.assign(names, {
        '#ttl': 'ttl',
        '#slideFromMs': 'slideFromMs',
        '#lifeMs': 'lifeMs',
        '#bornLessTtlMs': 'bornLessTtlMs',
        '#expiresAtSeconds': 'expiresAtSeconds',
        '#ttlSeconds': 'ttlSeconds',
      });
      // The TTL attribute may run up to a second past ceil(deadline / 1000): it only reclaims space.
      Object.assign(values, { ':nowSeconds': Math.ceil(now / 1000) + this.#reapDelaySeconds, ':earliestBirth': now - change.absoluteTimeout });
    } else {
      conditions.push('#lifeMs <= :absoluteTimeout');
      names['#lifeMs'] = 'lifeMs';
      values[':absoluteTimeout'] = change.absoluteTimeout;
    }
    if (change.expectedVersion !== undefined) {
      conditions.push('#version = :expected');
      values[':expected'] = change.expectedVersion;
    }
    const answer = await conditionalRequest('UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: itemKey(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return isConditionFailed(answer) ? undefined : answer.Attributes;
  }

  async delete(id: string, now: number, expectedVersion?: number): Promise<DeleteOutcome> {
    // Nothing but a handle names a session: a user's lease item (user-lease.ts) is no session to delete.
    if (!isSessionHandle(id)) return 'missing';
    const isSession = 'attribute_not_exists(#aliasOf)';
    const answer = await conditionalRequest('DeleteItem', () =>
      this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: itemKey(id),
          // Unconditional on the version unless one is asked for: an expired item goes too (as in
          // the memory store), and the old image returned by the same request says whether it was live.
          ConditionExpression:
            expectedVersion === undefined ? isSession : `${isSession} AND (#version = :expected OR #expiresAtMs <= :now)`,
          ExpressionAttributeNames: {
            '#aliasOf': 'aliasOf',
            ...(expectedVersion !== undefined && { '#version': NAMES['#version'], '#expiresAtMs': NAMES['#expiresAtMs'] }),
          },
          ...(expectedVersion !== undefined && { ExpressionAttributeValues: { ':expected': expectedVersion, ':now': now } }),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (isConditionFailed(answer)) {
      // An alias item, or a live session at another version. DynamoDB returns the item that failed
      // the condition; endpoints without the feature (dynalite) do not, and then one read tells.
      const current = answer.image ?? (await this.#read(id));
      return current !== undefined && !isAliasItem(current) && isLiveItem(current, now) ? 'conflict' : 'missing';
    }
    const removed = answer.Attributes;
    if (removed === undefined) return 'missing';
    await deleteAliasOf(this.#client, this.#tableName, removed);
    await this.#record([endedEvent(removed, now, 'logout')], now);
    return isLiveItem(removed, now) ? 'deleted' : 'missing';
  }

  async list(page: PageRequest, now: number): Promise<Page> {
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, undefined);
    const result = await request('Scan', () =>
      this.#client.send(
        new ScanCommand({
          TableName: this.#tableName,
          // One more than asked: when all of them are live, a next page surely exists.
          Limit: page.limit + 1,
          ConsistentRead: true,
          // Alias items share the table; they are no sessions. Nor are lease items (user-lease.ts),
          // which have no expiresAtMs: the first comparison drops them.
          FilterExpression: '#expiresAtMs > :now AND attribute_not_exists(#aliasOf) AND attribute_not_exists(#pendingFrom)',
          ExpressionAttributeNames: { '#expiresAtMs': NAMES['#expiresAtMs'], '#aliasOf': 'aliasOf', '#pendingFrom': 'pendingFrom' },
          ExpressionAttributeValues: { ':now': now },
          ...(after !== undefined && { ExclusiveStartKey: itemKey(after) }),
        }),
      ),
    );
    // The Scan stopped at its Limit or at 1 MB: more may follow, even when this page is short.
    return pageOf(result.Items ?? [], page, result.LastEvaluatedKey, undefined);
  }

  async listByUser(userId: string, page: PageRequest, now: number): Promise<Page> {
    const home = await userHome(userId, this.#sha256);
    // The cursor names a handle of this user's listing, so of its home: a start key elsewhere
    // would be refused by DynamoDB as a bad request (and say nothing about this listing).
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, userId, home);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined = after === undefined ? undefined : itemKey(after);
    // The home holds this user's sessions, expired ones until TTL reaps them, aliases, and now
    // and then another user's or an anonymous session (a home is 24 bits): the filter drops them
    // after the read, so a Query may come back short. Each further Query reads twice as many,
    // so what is in the way costs a few round trips, not one each.
    for (let read = page.limit + 1; ; read *= 2) {
      const result = await request('Query', () =>
        this.#client.send(
          new QueryCommand({
            ...userHomeQuery(this.#tableName, home, userId, now),
            Limit: read,
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      // Done when the page is full, the home has no more, or DynamoDB stopped at its 1 MB read
      // limit before `read` items (then the page may be short, and its cursor goes on from there).
      if (start === undefined || fillPage(items, page, itemDataBytes).more || (result.ScannedCount ?? 0) < read) {
        return pageOf(items, page, start, userId);
      }
    }
  }

  async deleteByUser(userId: string, now: number, except?: string): Promise<number> {
    // Expired sessions go too (they only wait for TTL), but only live ones are counted, each by
    // the one call whose delete removed it (see deleteEachSession).
    const ids = await userSessionIds(this.#client, this.#tableName, userId, await userHome(userId, this.#sha256));
    const removal = { record: this.#record, reason: except === undefined ? ('logout-everywhere' as const) : ('logout-others' as const) };
    return deleteEachSession(this.#client, this.#tableName, except === undefined ? ids : ids.filter((id) => id !== except), userId, now, removal);
  }

  /** Strongly consistent Queries of the user's home that count instead of returning items: 1 per 1 MB read. */
  async countByUser(userId: string, now: number): Promise<number> {
    const home = await userHome(userId, this.#sha256);
    let live = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const result = await request('Query', () =>
        this.#client.send(
          new QueryCommand({
            ...userHomeQuery(this.#tableName, home, userId, now),
            Select: 'COUNT',
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      live += result.Count ?? 0;
      start = result.LastEvaluatedKey;
    } while (start !== undefined);
    return live;
  }

  async ping(): Promise<void> {
    const status = await request('DescribeTable', () => describeSessionTable(this.#client, this.#tableName));
    if (status !== 'ready') throw new StoreUnavailableError(`table ${this.#tableName}: ${status}`);
  }

  /** The item with this id, read strongly consistent so a write is seen by the next read. */
  async #read(id: string): Promise<Record<string, unknown> | undefined> {
    const result = await request('GetItem', () =>
      this.#client.send(new GetCommand({ TableName: this.#tableName, Key: itemKey(id), ConsistentRead: true })),
    );
    return result.Item;
  }

  /**
   * Puts `item` unless its key is held by a live item (session or alias): `taken` when it is.
   * An expired session it takes the place of is reclaimed by this very request, which alone
   * answers its `session.expired` for the caller to record.
   */
  async #putIfFree(item: SessionItem | AliasItem | Record<string, unknown>, now: number): Promise<'taken' | { readonly reclaimed: UnnumberedEvent | undefined }> {
    const answer = await conditionalRequest('PutItem', () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#id) OR #expiresAtMs <= :now',
          ExpressionAttributeNames: { '#id': NAMES['#id'], '#expiresAtMs': NAMES['#expiresAtMs'] },
          ExpressionAttributeValues: { ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return isConditionFailed(answer) ? 'taken' : { reclaimed: expiredEvent(answer.Attributes, now) };
  }

  /** Puts `item` if `condition` holds; false when it does not. */
  async #put(
    item: SessionItem | AliasItem | Record<string, unknown>,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const answer = await conditionalRequest('PutItem', () =>
      this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    return !isConditionFailed(answer);
  }

  /** Sets the alias item's deadline to the session's, if it still names that session. */
  async #followDeadline(alias: string, session: Session): Promise<void> {
    await conditionalRequest('UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: itemKey(alias),
          UpdateExpression: 'SET #expiresAtMs = :expiresAt, #expiresAtSeconds = :expiresAtSeconds',
          ConditionExpression: '#aliasOf = :handle',
          ExpressionAttributeNames: {
            '#expiresAtMs': NAMES['#expiresAtMs'],
            '#expiresAtSeconds': NAMES['#expiresAtSeconds'],
            '#aliasOf': 'aliasOf',
          },
          ExpressionAttributeValues: {
            ':expiresAt': session.expiresAt,
            ':expiresAtSeconds': expiresAtSeconds(session.expiresAt),
            ':handle': session.id,
          },
        }),
      ),
    );
  }
}

/** The item for a session, refused before any request if DynamoDB would refuse it. */
function checkedItem(session: Session, alias: string | undefined, reapDelaySeconds: number): SessionItem {
  const item = toSessionItem(session, alias, reapDelaySeconds);
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
