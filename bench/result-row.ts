/** One line of the results table. Throughput and latency are absent where they mean nothing (heap). */
export interface ResultRow {
  /** `memory`, `redis`, `dynamodb`, `http` or `heap`. */
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
  readonly note?: string;
}
