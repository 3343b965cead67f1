import type { SessionStore } from '../core/index.js';
import type { LatencyProbe, ProbeResult } from './latency-probe.js';
import { commandCost, type RedisCounterReader } from './redis-counters.js';

/** A listing as the service asks for it: the first page of `limit`. */
export interface PageCost {
  readonly wallMs: number;
  /** Redis server time of the call (scripts' own time), in ms; absent for the memory store. */
  readonly redisMs?: number;
  readonly sessions: number;
}

/** Times one first page of `limit` sessions; with a reader, the Redis server time it cost. */
export async function timeFirstPage(store: SessionStore, limit: number, now: number, reader?: RedisCounterReader): Promise<PageCost> {
  const before = await reader?.read();
  const started = performance.now();
  const page = await store.list({ limit }, now);
  const wallMs = performance.now() - started;
  const after = await reader?.read();
  const redisMs = before && after ? commandCost(before, after, 1).serverMicros / 1000 : undefined;
  return { wallMs, sessions: page.sessions.length, ...(redisMs === undefined ? {} : { redisMs }) };
}

/** Paging through a store whose sessions have all expired, and what another client saw meanwhile. */
export interface BacklogWalk {
  readonly firstPageMs: number;
  /** Until `nextCursor` is null, or `maxPages`. */
  readonly pages: number;
  readonly totalMs: number;
  readonly finished: boolean;
  /** The slowest PING another connection got answered while the listing ran, and how many it sent. */
  readonly maxPingMs: number;
  readonly pings: number;
  /** The slowest PING of the same probe over `IDLE_PROBE_MS` just before, Redis idle: the machine's own noise. */
  readonly idleMaxPingMs: number;
}

/** How long the probe runs with Redis idle, just before the listing. */
const IDLE_PROBE_MS = 1_000;

/**
 * Lists a store whose every session expired (the core's `now` is past their deadlines, while
 * Redis's native expiry has not yet fired: the backlog a store must reclaim through its own
 * index) page by page, while `probe` measures another client's wait (PINGs back to back on a
 * connection of their own): a page that walks the whole backlog in one script shows as a PING that
 * waits as long. The same probe first runs a second with nothing else going on: on a shared
 * machine, its slowest round is the noise any figure of this walk carries.
 */
export async function walkExpiredBacklog(store: SessionStore, now: number, probe: LatencyProbe, maxPages: number): Promise<BacklogWalk> {
  probe.start();
  await new Promise((resolve) => setTimeout(resolve, IDLE_PROBE_MS));
  const idle = await probe.stop();
  probe.start();
  const started = performance.now();
  let firstPageMs = 0;
  let pages = 0;
  let cursor: string | undefined;
  let busy: ProbeResult | undefined;
  try {
    do {
      const page = await store.list({ limit: 1000, cursor }, now);
      if (pages === 0) firstPageMs = performance.now() - started;
      pages++;
      if (page.sessions.length > 0) throw new Error(`an expired session was listed: ${page.sessions[0]?.id}`);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && pages < maxPages);
  } finally {
    busy = await probe.stop();
  }
  const totalMs = performance.now() - started;
  return { firstPageMs, pages, totalMs, finished: cursor === undefined, maxPingMs: busy.maxMs, pings: busy.rounds, idleMaxPingMs: idle.maxMs };
}
