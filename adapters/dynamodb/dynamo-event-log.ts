import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  decodeEventCursor,
  encodeEventCursor,
  EVENT_RETENTION_DEFAULT_MS,
  InvalidInputError,
  type EventLogOptions,
  type EventPage,
  type SessionEvent,
  type SessionEventLog,
} from '../../core/index.js';
import {
  CONSUMER_NAME_MAX,
  consumerKey,
  counterKey,
  EVENT_PARTITIONS_MAX,
  eventItemId,
  eventPartition,
  fromEventItem,
  partitionOf,
  sequenceOf,
  toEventItem,
  type UnnumberedEvent,
} from './event-items.js';
import { ExpirySweep } from './expiry-sweep.js';
import { conditionalRequest, isConditionFailed, request } from './table-request.js';

/** Options of the DynamoDB store's event log. */
export interface DynamoEventLogOptions extends EventLogOptions {
  /**
   * How many event partitions (1 to 16, default `EVENT_PARTITIONS_DEFAULT`). Each takes about
   * 1,000 events a second (one counter item takes every event of its partition); a cursor names
   * a position in each, so changing the number makes every saved cursor invalid.
   */
  readonly partitions?: number | undefined;
  /**
   * How long a reader waits at a hole in a partition's sequence (ms of the core's clock, default
   * `EVENT_GAP_WAIT_MS`) before reading past it: a number handed out whose event is not there
   * (yet). Past it, an event that still lands is not read by a reader already beyond it.
   */
  readonly gapWaitMs?: number | undefined;
  /**
   * How long past its deadline a session item waits before DynamoDB's TTL may reap it (ms,
   * default the retention): TTL records no `session.expired`, so this is how long the sweep has
   * to claim an expired session (and record its expiry) before the expiry can be lost. Reads
   * never depend on it; expired items cost their space that much longer.
   */
  readonly reapDelayMs?: number | undefined;
}

/** The default number of event partitions. */
export const EVENT_PARTITIONS_DEFAULT = 4;

/** The default wait at a hole in the sequence: 10 s. */
export const EVENT_GAP_WAIT_MS = 10_000;

/** How many Query pages one read takes of a partition at most (a backlog of events past retention costs pages). */
const READ_PAGES_MAX = 8;

/** One partition's part of a read: the events after its position, each with its sequence number (`undefined`: past retention). */
interface PartitionRead {
  readonly p: number;
  readonly steps: { readonly sequence: number; readonly event: SessionEvent | undefined; readonly writtenAtMs: number }[];
}

/**
 * The DynamoDB store's event log (see docs/dynamodb-layout.md, "Events"): DynamoDB Streams is
 * not in dynalite, and a transaction (TransactWriteItems, not in dynalite either) would make the
 * change and its event one step, so each change is followed by its event: one UpdateItem takes
 * the next sequence number of the session's partition (its counter item), one PutItem writes the
 * event there. A change that was refused writes no event; a crash (or a failed request) between
 * the change and its event loses the event.
 */
export class DynamoEventLog implements SessionEventLog {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #partitions: number;
  readonly #retentionMs: number;
  readonly #gapWaitMs: number;
  readonly #sweep: ExpirySweep;
  /** See {@link DynamoEventLogOptions.reapDelayMs}. */
  readonly reapDelayMs: number;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: DynamoEventLogOptions = {}) {
    const partitions = options.partitions ?? EVENT_PARTITIONS_DEFAULT;
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > EVENT_PARTITIONS_MAX) {
      throw new RangeError(`events.partitions must be an integer from 1 to ${EVENT_PARTITIONS_MAX}, not ${partitions}`);
    }
    this.#client = client;
    this.#tableName = tableName;
    this.#partitions = partitions;
    this.#retentionMs = options.retentionMs ?? EVENT_RETENTION_DEFAULT_MS;
    this.#gapWaitMs = options.gapWaitMs ?? EVENT_GAP_WAIT_MS;
    this.reapDelayMs = options.reapDelayMs ?? this.#retentionMs;
    this.#sweep = new ExpirySweep(client, tableName, (events, now) => this.record(events, now));
  }

  /**
   * Records `events` (of changes made at `now`), in order per partition: per partition they
   * touch, one UpdateItem of its counter for all of them, then one PutItem per event.
   */
  async record(events: readonly (UnnumberedEvent | undefined)[], now: number): Promise<void> {
    const groups = new Map<number, UnnumberedEvent[]>();
    for (const event of events) {
      if (event === undefined) continue;
      const p = partitionOf(event.sessionId, this.#partitions);
      groups.set(p, [...(groups.get(p) ?? []), event]);
    }
    await Promise.all([...groups].map(([p, group]) => this.#append(p, group, now)));
  }

  async #append(p: number, events: readonly UnnumberedEvent[], now: number): Promise<void> {
    const counted = await request('UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: counterKey(p),
          UpdateExpression: 'ADD #next :count',
          ExpressionAttributeNames: { '#next': 'next' },
          ExpressionAttributeValues: { ':count': events.length },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const last = Number(counted.Attributes?.['next']);
    const first = last - events.length + 1;
    await Promise.all(
      events.map((event, i) =>
        request('PutItem', () =>
          this.#client.send(new PutCommand({ TableName: this.#tableName, Item: toEventItem(p, first + i, event, now, this.#retentionMs) })),
        ),
      ),
    );
  }

  /**
   * One strongly consistent Query per partition (more while events past retention fill it, up
   * to 8), after the cursor's position there; each partition's events are taken in sequence up
   * to the first hole younger than `gapWaitMs`, then merged by the time they were written.
   */
  async read(after: string | undefined, limit: number, now: number): Promise<EventPage> {
    const positions = after === undefined ? Array.from({ length: this.#partitions }, () => 0) : this.#positions(after);
    const reads = await Promise.all(positions.map((position, p) => this.#readPartition(p, position, limit, now)));
    const next = [...positions];
    const heads = reads.map(() => 0);
    const events: SessionEvent[] = [];
    // Past-retention steps at the head of a partition are passed over: they hold nothing to answer.
    const skipKept = (read: PartitionRead): void => {
      for (let step = read.steps[heads[read.p]!]; step !== undefined && step.event === undefined; step = read.steps[++heads[read.p]!]) {
        next[read.p] = step.sequence;
      }
    };
    for (;;) {
      reads.forEach(skipKept);
      if (events.length >= limit) break;
      let earliest: PartitionRead | undefined;
      for (const read of reads) {
        const head = read.steps[heads[read.p]!];
        if (head === undefined) continue;
        const best = earliest === undefined ? undefined : earliest.steps[heads[earliest.p]!];
        if (best === undefined || head.writtenAtMs < best.writtenAtMs) earliest = read;
      }
      if (earliest === undefined) break;
      const step = earliest.steps[heads[earliest.p]!]!;
      events.push(step.event!);
      next[earliest.p] = step.sequence;
      heads[earliest.p]!++;
    }
    return { events, cursor: encodeEventCursor(next.map(String)) };
  }

  async #readPartition(p: number, position: number, limit: number, now: number): Promise<PartitionRead> {
    const steps: PartitionRead['steps'] = [];
    let expected = position + 1;
    let kept = 0;
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < READ_PAGES_MAX; page++) {
      const result = await request('Query', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: '#home = :home AND #id > :after',
            ExpressionAttributeNames: { '#home': 'home', '#id': 'id' },
            ExpressionAttributeValues: { ':home': eventPartition(p), ':after': eventItemId(p, position) },
            ConsistentRead: true,
            Limit: limit,
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      for (const item of result.Items ?? []) {
        const sequence = sequenceOf(String(item['id']));
        const writtenAtMs = Number(item['writtenAtMs']);
        // A hole: a number handed out whose event is not written yet (or never will be: its
        // writer crashed). Wait for it, unless what follows it was written long enough ago.
        if (sequence !== expected && writtenAtMs > now - this.#gapWaitMs) return { p, steps };
        const event = Number(item['keepUntilMs']) > now ? fromEventItem(p, item) : undefined;
        steps.push({ sequence, event, writtenAtMs });
        expected = sequence + 1;
        if (event !== undefined && ++kept >= limit) return { p, steps };
      }
      start = result.LastEvaluatedKey;
      if (start === undefined) break;
    }
    return { p, steps };
  }

  /** One GetItem of each partition's counter: the last number handed out there. */
  async tail(_now: number): Promise<string> {
    const counters = await Promise.all(
      Array.from({ length: this.#partitions }, (_, p) =>
        request('GetItem', () => this.#client.send(new GetCommand({ TableName: this.#tableName, Key: counterKey(p), ConsistentRead: true }))),
      ),
    );
    return encodeEventCursor(counters.map((result) => String(Number(result.Item?.['next'] ?? 0))));
  }

  /** A Scan of the table (it has no expiry index) and a conditional DeleteItem per claim: see expiry-sweep.ts. */
  sweepExpired(now: number, budget: number): Promise<number> {
    return this.#sweep.sweep(now, budget);
  }

  /** One conditional UpdateItem of the consumer's item: over none, an own lease, or one run out. */
  async claimConsumer(name: string, owner: string, now: number, leaseMs: number): Promise<{ readonly cursor: string | undefined } | 'taken'> {
    const answer = await conditionalRequest('UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: checkedConsumerKey(name),
          UpdateExpression: 'SET #owner = :owner, #leaseUntilMs = :until',
          ConditionExpression: 'attribute_not_exists(#id) OR #owner = :owner OR #leaseUntilMs <= :now',
          ExpressionAttributeNames: { '#id': 'id', '#owner': 'owner', '#leaseUntilMs': 'leaseUntilMs' },
          ExpressionAttributeValues: { ':owner': owner, ':until': now + leaseMs, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (isConditionFailed(answer)) return 'taken';
    const cursor = answer.Attributes?.['cursor'];
    return { cursor: typeof cursor === 'string' ? cursor : undefined };
  }

  /** One UpdateItem of the consumer's item, conditioned on `owner` holding a lease that still runs; a cursor this log did not issue is refused first. */
  async saveConsumer(name: string, owner: string, cursor: string, now: number, leaseMs: number): Promise<boolean> {
    this.#positions(cursor);
    const answer = await conditionalRequest('UpdateItem', () =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: checkedConsumerKey(name),
          UpdateExpression: 'SET #cursor = :cursor, #leaseUntilMs = :until',
          ConditionExpression: '#owner = :owner AND #leaseUntilMs > :now',
          ExpressionAttributeNames: { '#cursor': 'cursor', '#owner': 'owner', '#leaseUntilMs': 'leaseUntilMs' },
          ExpressionAttributeValues: { ':cursor': cursor, ':owner': owner, ':until': now + leaseMs, ':now': now },
        }),
      ),
    );
    return !isConditionFailed(answer);
  }

  /** The positions of a cursor of this log: one sequence number per partition. */
  #positions(cursor: string): number[] {
    const positions = decodeEventCursor(cursor, (parts) => parts.length === this.#partitions && parts.every((part) => SEQUENCE.test(part)));
    return positions.map(Number);
  }
}

/** A position: a sequence number, in its one decimal spelling (so a cursor has exactly one text). */
const SEQUENCE = /^(0|[1-9]\d{0,15})$/;

function checkedConsumerKey(name: string): { home: string; id: string } {
  if (name.length === 0 || name.length > CONSUMER_NAME_MAX) throw new InvalidInputError('consumer', `must be 1 to ${CONSUMER_NAME_MAX} characters`);
  return consumerKey(name);
}
