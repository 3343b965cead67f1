import { randomBytes } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { Redis, type Cluster } from 'ioredis';
import { RedisSessionStore } from '../adapters/redis/index.js';
import { createRedisClient } from '../adapters/redis/create-redis-client.js';
import { toBase64Url, type JsonObject, type Session, type SessionChange } from '../core/index.js';

/**
 * What the Redis store costs Redis per operation, against the raw ceiling in connect-redis's
 * layout (one string key `sess:<32-char sid>` holding the session's JSON: `SET PX`, `GET`, `SET PX`
 * again for a replace, `PEXPIRE` for a refresh, `DEL`) on the same Redis with the same client
 * settings (the service's factory). Per phase of `sessions` operations, `concurrency` in flight:
 * Redis main-thread CPU (`INFO cpu` user + sys, less an idle phase of the same length), server
 * time per call (`INFO commandstats`) and, for create, bytes per session (`used_memory`).
 * Each figure is the median of `runs`; a ratio is ours over the raw one.
 */
export interface RedisStoreCostOptions {
  /** A Redis of the benchmark's own (it is written to; keys under `cost-ours:` and `cost-raw:`). */
  readonly url: string;
  /** Operations per phase, and sessions stored while the phases run (default 20 000). */
  readonly sessions?: number;
  readonly concurrency?: number;
  readonly runs?: number;
  /** Sessions held while a page of 1,000 of everyone's is timed (default 100 000). */
  readonly pageStored?: number;
  /** Our store records lifecycle events (default off), to weigh what recording costs. */
  readonly events?: boolean;
}

export const COST_OPERATIONS = ['create', 'get', 'replace', 'refresh', 'delete'] as const;
export type CostOperation = (typeof COST_OPERATIONS)[number];

/** One operation's figures: ours, the raw ceiling's, and ours over raw. */
export interface OperationCost {
  readonly cpuUs: { readonly ours: number; readonly raw: number; readonly ratio: number };
  readonly serverUs: { readonly ours: number; readonly raw: number; readonly ratio: number };
}

/** Redis server time of one page of everyone's sessions, with `stored` sessions held. */
export interface PageCost {
  readonly stored: number;
  readonly limit: number;
  /** The page's server µs (its ZRANGEBYLEX, MGET and scripts, INFO commandstats), median of `runs` pages. */
  readonly serverUs: number;
  readonly scripts: number;
}

export interface RedisStoreCostReport {
  readonly page: PageCost;
  readonly operations: Readonly<Record<CostOperation, OperationCost>>;
  readonly bytesPerSession: { readonly ours: number; readonly raw: number; readonly ratio: number };
  readonly sessions: number;
  readonly concurrency: number;
  readonly runs: number;
}

/** An anonymous express-session's data, as connect-redis stores it (289 bytes a session there). */
function expressData(now: number): JsonObject {
  return { cookie: { originalMaxAge: 86_400_000, expires: new Date(now + 86_400_000).toISOString(), secure: false, httpOnly: true, path: '/' } };
}

const TTL = 86_400_000;
type Phase = (i: number) => Promise<unknown>;

interface Subject {
  phases(n: number): Record<CostOperation, Phase>;
}

function ours(store: RedisSessionStore): Subject {
  return {
    phases(n) {
      const now = Date.now();
      const sessions: Session[] = Array.from({ length: n }, () => {
        const digest = toBase64Url(randomBytes(17)).slice(0, 22);
        return { id: `${digest.slice(0, 4)}.${digest}`, data: expressData(now), createdAt: now, updatedAt: now, lastActiveAt: now, expiresAt: now + TTL, version: 1, ttl: TTL };
      });
      const at = (i: number): Session => sessions[i] as Session;
      const replace: SessionChange = { data: expressData(now + 1), slide: true, absoluteTimeout: 7 * TTL };
      const refresh: SessionChange = { slide: true, absoluteTimeout: 7 * TTL };
      return {
        create: (i) => store.create(at(i), now),
        get: (i) => store.get(at(i).id, now),
        replace: (i) => store.update(at(i).id, replace, now + 1),
        refresh: (i) => store.update(at(i).id, refresh, now + 2),
        delete: (i) => store.delete(at(i).id, now + 3),
      };
    },
  };
}

function raw(client: Redis): Subject {
  return {
    phases(n) {
      const now = Date.now();
      const keys = Array.from({ length: n }, () => `cost-raw:sess:${randomBytes(24).toString('base64url')}`);
      const key = (i: number): string => keys[i] as string;
      return {
        create: (i) => client.set(key(i), JSON.stringify(expressData(now)), 'PX', TTL),
        get: (i) => client.get(key(i)),
        replace: (i) => client.set(key(i), JSON.stringify(expressData(now + 1)), 'PX', TTL),
        refresh: (i) => client.pexpire(key(i), TTL),
        delete: (i) => client.del(key(i)),
      };
    },
  };
}

interface Counters {
  readonly cpuUs: number;
  readonly usedMemory: number;
  /** Server µs of scripts, and of plain commands (a script's own commands included). */
  readonly scriptUs: number;
  readonly plainUs: number;
  /** Script calls so far. */
  readonly scripts: number;
  /** Server µs of the listing's plain commands (ZRANGEBYLEX, MGET). */
  readonly listUs: number;
}

async function counters(probe: Redis): Promise<Counters> {
  const info = (await probe.call('INFO', 'cpu', 'memory', 'commandstats')) as string;
  const field = (name: string): number => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  // A script's own commands are counted again under their names: a phase that ran scripts is
  // costed by their time alone, a phase that did not by the plain commands'.
  let scripts = 0;
  let scriptCalls = 0;
  let plain = 0;
  let list = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    if (/^eval(sha)?$/.test(match[1] as string)) {
      scripts += Number(match[3]);
      scriptCalls += Number(match[2]);
    }
    else if (/^(get|set|del|pexpire)$/.test(match[1] as string)) plain += Number(match[3]);
    else if (/^(zrangebylex|mget)$/.test(match[1] as string)) list += Number(match[3]);
  }
  return { cpuUs: (field('used_cpu_user') + field('used_cpu_sys')) * 1e6, usedMemory: field('used_memory'), scriptUs: scripts, plainUs: plain, scripts: scriptCalls, listUs: list };
}

async function closedLoop(phase: Phase, n: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await phase(next++);
  }));
}

/** One run of every phase of a subject: CPU µs per op (idle taken out), server µs per op, bytes. */
async function runSubject(subject: Subject, probe: Redis, n: number, concurrency: number) {
  const phases = subject.phases(n);
  const cpu = {} as Record<CostOperation, number>;
  const server = {} as Record<CostOperation, number>;
  let bytes = NaN;
  for (const operation of COST_OPERATIONS) {
    const before = await counters(probe);
    const started = performance.now();
    await closedLoop(phases[operation], n, concurrency);
    const elapsed = performance.now() - started;
    const after = await counters(probe);
    const idleBefore = await counters(probe);
    await wait(elapsed);
    const idleAfter = await counters(probe);
    cpu[operation] = (after.cpuUs - before.cpuUs - (idleAfter.cpuUs - idleBefore.cpuUs)) / n;
    const scriptUs = after.scriptUs - before.scriptUs;
    server[operation] = (scriptUs > 0 ? scriptUs : after.plainUs - before.plainUs) / n;
    if (operation === 'create') bytes = (after.usedMemory - before.usedMemory) / n;
  }
  return { cpu, server, bytes };
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[(values.length - 1) >> 1] ?? NaN;
const ratio = (ours: number, raw: number) => ({ ours: round(ours), raw: round(raw), ratio: round(ours / raw) });
const round = (n: number): number => Math.round(n * 100) / 100;

/** Fills a store under its own prefix with `stored` sessions and times pages of `limit` inside Redis. */
async function measurePage(client: Redis | Cluster, probe: Redis, stored: number, limit: number, runs: number): Promise<PageCost> {
  const store = new RedisSessionStore(client, { keyPrefix: 'cost-page:' });
  const phases = ours(store).phases(stored);
  for (let i = 0; i < stored; i += 2000) await Promise.all(Array.from({ length: Math.min(2000, stored - i) }, (_, k) => phases.create(i + k)));
  const times: number[] = [];
  let scripts = 0;
  let cursor: string | undefined;
  for (let run = 0; run < runs; run++) {
    const before = await counters(probe);
    const page = await store.list({ limit, ...(cursor === undefined ? {} : { cursor }) }, Date.now());
    const after = await counters(probe);
    cursor = page.nextCursor ?? undefined;
    times.push(after.scriptUs - before.scriptUs + after.listUs - before.listUs);
    scripts = after.scripts - before.scripts;
  }
  for (let i = 0; i < stored; i += 2000) await Promise.all(Array.from({ length: Math.min(2000, stored - i) }, (_, k) => phases.delete(i + k)));
  return { stored, limit, serverUs: median(times), scripts };
}

/** Measures; see {@link RedisStoreCostOptions}. */
export async function measureRedisStoreCosts(options: RedisStoreCostOptions): Promise<RedisStoreCostReport> {
  const n = options.sessions ?? 20_000;
  const concurrency = options.concurrency ?? 32;
  const runs = options.runs ?? 3;
  const ourClient = createRedisClient({ url: options.url, commandTimeoutMs: 10_000 });
  const rawClient = createRedisClient({ url: options.url, commandTimeoutMs: 10_000 }) as Redis;
  const probe = new Redis(options.url);
  try {
    await Promise.all([ourClient.ping().catch(() => wait(200)), rawClient.ping().catch(() => wait(200))]);
    const subjects = { ours: ours(new RedisSessionStore(ourClient, { keyPrefix: 'cost-ours:', events: options.events ?? false })), raw: raw(rawClient) };
    // Warm-up: scripts loaded, connections and JIT warm.
    for (const subject of Object.values(subjects)) await runSubject(subject, probe, Math.min(n, 2_000), concurrency);
    const results = { ours: [] as Awaited<ReturnType<typeof runSubject>>[], raw: [] as Awaited<ReturnType<typeof runSubject>>[] };
    for (let run = 0; run < runs; run++) {
      for (const name of run % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
        results[name].push(await runSubject(subjects[name], probe, n, concurrency));
      }
    }
    const operations = {} as Record<CostOperation, OperationCost>;
    for (const operation of COST_OPERATIONS) {
      const pick = (name: 'ours' | 'raw', what: 'cpu' | 'server') => median(results[name].map((r) => r[what][operation]));
      operations[operation] = { cpuUs: ratio(pick('ours', 'cpu'), pick('raw', 'cpu')), serverUs: ratio(pick('ours', 'server'), pick('raw', 'server')) };
    }
    const bytes = (name: 'ours' | 'raw') => median(results[name].map((r) => r.bytes));
    const page = await measurePage(ourClient, probe, options.pageStored ?? 100_000, 1000, runs);
    return { page, operations, bytesPerSession: ratio(bytes('ours'), bytes('raw')), sessions: n, concurrency, runs };
  } finally {
    ourClient.disconnect();
    rawClient.disconnect();
    probe.disconnect();
  }
}

// `node dist-bench/bench/redis-store-costs.js <redis-url> [sessions] [runs] [events]` prints the report as JSON
// (`events`: our store records lifecycle events).
if (process.argv[1]?.endsWith('redis-store-costs.js') && process.argv[2] !== undefined) {
  const [url = '', sessions, runs, events] = process.argv.slice(2);
  console.log(JSON.stringify(await measureRedisStoreCosts({ url, sessions: Number(sessions ?? 20_000), runs: Number(runs ?? 3), events: events === 'events' }), null, 2));
}
