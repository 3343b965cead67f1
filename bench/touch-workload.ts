import { randomBytes } from 'node:crypto';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { createSessionTable, DynamoSessionStore } from '../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient, createDynamoDocumentClient } from '../adapters/dynamodb/create-dynamo-document-client.js';
import { MemorySessionStore } from '../adapters/memory/index.js';
import { RedisSessionStore } from '../adapters/redis/index.js';
import { defaultTtlPolicy, toBase64Url, type SessionChange, type SessionStore } from '../core/index.js';
import type { BenchOptions } from './bench-options.js';
import { DYNALITE_CREDENTIALS, startDynalite } from './dynalite-process.js';
import { nodeSha256 } from './node-sha256.js';
import { readyClient } from './redis-contenders.js';
import { commandCost, RedisCounterReader, type CommandCost } from './redis-counters.js';
import type { ResultRow } from './result-row.js';
import { runClosedLoop, type Measurement } from './run-closed-loop.js';
import { benchSession } from './session-fixture.js';

/** A refresh as the service sends it with the default touch interval: within it, it writes nothing. */
const TOUCH: SessionChange = { slide: true, absoluteTimeout: defaultTtlPolicy.absoluteTimeout, touchInterval: defaultTtlPolicy.touchInterval };

/**
 * Throttled refresh against get, on each store, in the same run (issue 14 item 5: a throttled
 * refresh must do at least 0.9x get's throughput). N sessions are created; after an untimed pass
 * of each, every round reads every one and refreshes every one 1 s after its creation (within
 * the 60 s interval, so no refresh writes; each answer is checked to be version 1), at the same
 * concurrency, the two taking turns slice by slice. The ratio shown is the median of the rounds'
 * own ratios, each round's beside it. Beside throughput, which a loaded machine moves by tens of
 * per cent, each operation's CPU: this process's, and on Redis the server's and its commands
 * (INFO around every slice), which say whether a refresh costs more than a get.
 */
export async function runTouchWorkload(options: BenchOptions, redisUrl: () => Promise<string>, progress: (line: string) => void): Promise<ResultRow[]> {
  const concurrency = Math.max(...options.concurrencies);
  const rows: ResultRow[] = [];
  const memory = new MemorySessionStore();
  rows.push(...(await measureTouch('memory store', memory, options.ops ?? 100_000, concurrency, options.rounds, progress)));
  const url = await redisUrl();
  const client = await readyClient(url);
  const counters = new RedisCounterReader(url);
  try {
    const redis = new RedisSessionStore(client, { keyPrefix: 'bench-touch:', sha256: nodeSha256 });
    rows.push(...(await measureTouch('Redis store', redis, options.ops ?? 40_000, concurrency, options.rounds, progress, counters)));
  } finally {
    await client.quit();
    await counters.close();
  }
  const dynalite = await startDynalite();
  const documents = createDynamoDocumentClient({ region: 'us-east-1', endpoint: dynalite.endpoint, credentials: DYNALITE_CREDENTIALS });
  try {
    await createSessionTable(documents, 'bench-touch');
    rows.push(...(await measureTouch('DynamoDB store (dynalite)', new DynamoSessionStore(documents, 'bench-touch', { sha256: nodeSha256 }), options.ops ?? 1_500, concurrency, options.rounds, progress)));
  } finally {
    closeDynamoDocumentClient(documents);
    await dynalite.stop();
  }
  return rows;
}

/** One store's rows of the touch part: get and throttled refresh over `n` sessions of its own. */
export async function measureTouch(
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
  // Created at a low concurrency: setup is not measured, and dynalite on a loaded machine let
  // creates at 32 in flight pass the client's 1 s request timeout.
  await runClosedLoop((i) => store.create(benchSession(ids[i]!, now, 1, undefined), now), n, Math.min(concurrency, 4));
  // The two callers are alike (async, one check of the answer) so that only the store call differs.
  const get = async (i: number) => {
    const answer = await store.get(ids[i]!, now + 1000);
    if (answer?.version !== 1) throw new Error(`${subject}: a get found no session at version 1`);
  };
  const refresh = async (i: number) => {
    const answer = await store.update(ids[i]!, TOUCH, now + 1000);
    if (typeof answer === 'string' || answer.version !== 1) throw new Error(`${subject}: a refresh within the touch interval wrote (${JSON.stringify(answer)})`);
  };
  // One untimed pass of each first, so that neither is measured while the JIT warms up.
  await runClosedLoop(get, n, concurrency);
  await runClosedLoop(refresh, n, concurrency);
  const operations = { get, refresh };
  const costs: Record<Kind, (CommandCost & { cpuMicros: number })[]> = { get: [], refresh: [] };
  const cpu: Record<Kind, number> = { get: 0, refresh: 0 };
  const gets: Measurement[] = [];
  const refreshes: Measurement[] = [];
  const ratios: number[] = [];
  const slice = Math.ceil(n / SLICES);
  for (let round = 0; round < rounds; round++) {
    const tally = { get: newTally(), refresh: newTally() };
    const timed = async (kind: Kind, from: number, count: number): Promise<void> => {
      const before = await counters?.read();
      const cpuBefore = process.cpuUsage();
      const measured = await runClosedLoop((i) => operations[kind](from + i), count, concurrency, tally[kind].histogram);
      const used = process.cpuUsage(cpuBefore);
      cpu[kind] += used.user + used.system;
      tally[kind].seconds += count / measured.opsPerSec;
      if (counters && before) {
        const after = await counters.read();
        costs[kind].push({ ...commandCost(before, after, count), cpuMicros: (after.cpuMicros - before.cpuMicros) / count });
      }
    };
    // The round alternates the two a slice of the sessions at a time, in the order ABBA ABBA..., so
    // that both meet the same load (this machine's neighbours change it by the second) and a
    // load that rises or falls through the round favours neither.
    for (let from = 0, s = 0; from < n; from += slice, s++) {
      const count = Math.min(slice, n - from);
      const [first, second]: readonly [Kind, Kind] = (round + s) % 2 === 0 ? ['get', 'refresh'] : ['refresh', 'get'];
      await timed(first, from, count);
      await timed(second, from, count);
    }
    const g = measurementOf(tally.get, n);
    const r = measurementOf(tally.refresh, n);
    gets.push(g);
    refreshes.push(r);
    ratios.push(r.opsPerSec / g.opsPerSec);
  }
  const median = <T>(values: readonly T[], by: (value: T) => number): T => [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length / 2)]!;
  const g = median(gets, (m) => m.opsPerSec);
  const r = median(refreshes, (m) => m.opsPerSec);
  const ratio = median(ratios, (x) => x);
  const each = ratios.map((x) => x.toFixed(2)).join(' ');
  // What one operation cost: this process's CPU (the store's client side), and Redis's commands.
  const cost = (kind: Kind): string => {
    const client = `client CPU ${(cpu[kind] / (n * rounds)).toFixed(1)} µs/op`;
    const runs = costs[kind];
    if (runs.length === 0) return client;
    const mean = (of: (c: (typeof runs)[number]) => number): string => (runs.reduce((sum, c) => sum + of(c), 0) / runs.length).toFixed(2);
    // Redis's CPU includes its reading of the socket, which commandstats' time leaves out.
    return `${client}; Redis CPU ${mean((c) => c.cpuMicros)} µs/op, commands ${mean((c) => c.serverMicros)} µs/op (${runs[0]!.calls})`;
  };
  progress(`touch: ${subject}: get ${g.opsPerSec.toFixed(0)}/s, throttled refresh ${r.opsPerSec.toFixed(0)}/s, median ratio ${ratio.toFixed(2)} (rounds ${each})`);
  return [
    { part: 'touch', subject, operation: 'get', concurrency, ...g, note: cost('get') },
    {
      part: 'touch',
      subject,
      operation: 'throttled refresh',
      concurrency,
      ...r,
      note: `${ratio.toFixed(2)}x get, median of rounds ${each} (target ≥ 0.9); ${cost('refresh')}`,
    },
  ];
}

type Kind = 'get' | 'refresh';

/** Slices a round alternates get and refresh over (each a fortieth of the sessions: about 0.1 s on Redis). */
const SLICES = 40;

/** One kind's slices in a round: their time added up, their calls in one histogram. */
interface Tally {
  seconds: number;
  readonly histogram: RecordableHistogram;
}

function newTally(): Tally {
  return { seconds: 0, histogram: createHistogram() };
}

function measurementOf(tally: Tally, operations: number): Measurement {
  return { opsPerSec: operations / tally.seconds, p50Ms: tally.histogram.percentile(50) / 1e6, p99Ms: tally.histogram.percentile(99) / 1e6 };
}
