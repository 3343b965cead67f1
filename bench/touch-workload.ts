import { randomBytes } from 'node:crypto';
import { createSessionTable, DynamoSessionStore } from '../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient, createDynamoDocumentClient } from '../adapters/dynamodb/create-dynamo-document-client.js';
import { MemorySessionStore } from '../adapters/memory/index.js';
import { RedisSessionStore } from '../adapters/redis/index.js';
import { defaultTtlPolicy, toBase64Url, type SessionChange, type SessionStore } from '../core/index.js';
import type { BenchOptions } from './bench-options.js';
import { DYNALITE_CREDENTIALS, startDynalite } from './dynalite-process.js';
import { nodeSha256 } from './node-sha256.js';
import { readyClient } from './redis-contenders.js';
import { commandCost, RedisCounterReader } from './redis-counters.js';
import type { ResultRow } from './result-row.js';
import { runClosedLoop, type Measurement } from './run-closed-loop.js';
import { benchSession } from './session-fixture.js';

/** A refresh as the service sends it with the default touch interval: within it, it writes nothing. */
const TOUCH: SessionChange = { slide: true, absoluteTimeout: defaultTtlPolicy.absoluteTimeout, touchInterval: defaultTtlPolicy.touchInterval };

/**
 * Throttled refresh against get, on each store, in the same run (issue 14 item 5: a throttled
 * refresh must do at least 0.9x get's throughput). N sessions are created, then each round reads
 * every one, then refreshes every one 1 s after its creation (within the 60 s interval, so no
 * refresh writes; each answer is checked to be version 1), the order of the two alternating by
 * round, after an untimed pass of each; the median round of each is shown, with the ratio. On Redis, INFO commandstats around
 * the refreshes says what each cost Redis.
 */
export async function runTouchWorkload(options: BenchOptions, redisUrl: () => Promise<string>, progress: (line: string) => void): Promise<ResultRow[]> {
  const concurrency = Math.max(...options.concurrencies);
  const rows: ResultRow[] = [];
  const memory = new MemorySessionStore();
  rows.push(...(await measure('memory store', memory, options.ops ?? 100_000, concurrency, options.rounds, progress)));
  const url = await redisUrl();
  const client = await readyClient(url);
  const counters = new RedisCounterReader(url);
  try {
    const redis = new RedisSessionStore(client, { keyPrefix: 'bench-touch:', sha256: nodeSha256 });
    rows.push(...(await measure('Redis store', redis, options.ops ?? 40_000, concurrency, options.rounds, progress, counters)));
  } finally {
    await client.quit();
    await counters.close();
  }
  const dynalite = await startDynalite();
  const documents = createDynamoDocumentClient({ region: 'us-east-1', endpoint: dynalite.endpoint, credentials: DYNALITE_CREDENTIALS });
  try {
    await createSessionTable(documents, 'bench-touch');
    rows.push(...(await measure('DynamoDB store (dynalite)', new DynamoSessionStore(documents, 'bench-touch', { sha256: nodeSha256 }), options.ops ?? 1_500, concurrency, options.rounds, progress)));
  } finally {
    closeDynamoDocumentClient(documents);
    await dynalite.stop();
  }
  return rows;
}

async function measure(
  subject: string,
  store: SessionStore,
  n: number,
  concurrency: number,
  rounds: number,
  progress: (line: string) => void,
  counters?: RedisCounterReader,
): Promise<ResultRow[]> {
  const now = Date.now();
  const ids = Array.from({ length: n }, () => {
    const digest = toBase64Url(randomBytes(17)).slice(0, 22);
    return `${digest.slice(0, 4)}.${digest}`;
  });
  await runClosedLoop((i) => store.create(benchSession(ids[i]!, now, 1, undefined), now), n, concurrency);
  const get = (i: number) => store.get(ids[i]!, now + 1000);
  const refresh = async (i: number) => {
    const answer = await store.update(ids[i]!, TOUCH, now + 1000);
    if (typeof answer === 'string' || answer.version !== 1) throw new Error(`${subject}: a refresh within the touch interval wrote (${JSON.stringify(answer)})`);
  };
  // One untimed pass of each first, so that neither is measured while the JIT warms up.
  await runClosedLoop(get, n, concurrency);
  await runClosedLoop(refresh, n, concurrency);
  const gets: Measurement[] = [];
  const refreshes: Measurement[] = [];
  let redisCost = '';
  for (let round = 0; round < rounds; round++) {
    const runRefresh = async () => {
      const before = await counters?.read();
      refreshes.push(await runClosedLoop(refresh, n, concurrency));
      if (counters && before) {
        const cost = commandCost(before, await counters.read(), n);
        redisCost = `Redis ${cost.serverMicros.toFixed(1)} µs/op (${cost.calls})`;
      }
    };
    if (round % 2 === 0) {
      gets.push(await runClosedLoop(get, n, concurrency));
      await runRefresh();
    } else {
      await runRefresh();
      gets.push(await runClosedLoop(get, n, concurrency));
    }
  }
  const median = (runs: Measurement[]) => [...runs].sort((a, b) => a.opsPerSec - b.opsPerSec)[Math.floor(runs.length / 2)]!;
  const g = median(gets);
  const r = median(refreshes);
  const ratio = r.opsPerSec / g.opsPerSec;
  progress(`touch: ${subject}: get ${g.opsPerSec.toFixed(0)}/s, throttled refresh ${r.opsPerSec.toFixed(0)}/s, ratio ${ratio.toFixed(2)}`);
  return [
    { part: 'touch', subject, operation: 'get', concurrency, ...g },
    {
      part: 'touch',
      subject,
      operation: 'throttled refresh',
      concurrency,
      ...r,
      note: `${ratio.toFixed(2)}x get (target ≥ 0.9)${redisCost === '' ? '' : `; ${redisCost}`}`,
    },
  ];
}
