/** One line of the results table. Throughput and latency are absent where they mean nothing (heap). */
export interface ResultRow {
  /** the workload that measured it (`memory`, `redis`, `costs`, `trips`, `scale`, ...). */
  readonly part: string;
  /** What was measured: a store, a peer, a ceiling, or a server. */
  readonly subject: string;
  readonly operation: string;
  /** Callers in flight (store level) or connections (HTTP). */
  readonly concurrency?: number;
  readonly opsPerSec?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** CPU time (user + system) of the server process per request, in µs (HTTP level, Linux). */
  readonly cpuUsPerRequest?: number | undefined;
  /** Redis main-thread CPU per operation, idle CPU taken out, in µs (Redis costs). */
  readonly redisCpuUs?: number | undefined;
  /** Redis server time per operation from `INFO commandstats`, in µs (Redis costs). */
  readonly redisServerUs?: number | undefined;
  /** Bytes per session held, from `used_memory` (Redis costs, scale). */
  readonly bytesPerSession?: number | undefined;
  /** Store calls one HTTP request made (round trips); absent when the request did not succeed. */
  readonly roundTrips?: number | undefined;
  /** Ours over a peer, the median of per-round throughput ratios (express workload). */
  readonly ratio?: number | undefined;
  readonly note?: string;
}
