import { createRequire } from 'node:module';

/** One request of a sequence autocannon sends round-robin on each connection. */
export interface CannonRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the benchmark reads from an autocannon result. */
export interface CannonResult {
  readonly '2xx': number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Seconds. */
  readonly duration: number;
  readonly latency: { readonly p50: number; readonly p99: number };
}

interface CannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly requests: readonly CannonRequest[];
}

// autocannon ships no types; it is CommonJS, so require() it.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: CannonOptions) => Promise<CannonResult>;

/**
 * Runs autocannon for `seconds`. The requests are fixed (each connection cycles through them),
 * so autocannon builds them once and spends its core on sending, not on making requests.
 */
export function runAutocannon(url: string, requests: readonly CannonRequest[], connections: number, seconds: number): Promise<CannonResult> {
  return autocannon({ url, connections, duration: seconds, requests });
}
