/** The parts of the benchmark, in the order a full run takes them. */
export const WORKLOADS = ['memory', 'redis', 'costs', 'dynamodb', 'touch', 'express', 'http', 'trips', 'heap', 'scale'] as const;

/** One part of the benchmark. */
export type Workload = (typeof WORKLOADS)[number];

/** What a run does; every field has a flag and an environment variable. */
export interface BenchOptions {
  /** The parts to run; all of them unless one is named. */
  readonly workloads: readonly Workload[];
  /** Operations per store operation and round; `undefined` leaves each store its default. */
  readonly ops: number | undefined;
  /** Concurrencies of the store level. */
  readonly concurrencies: readonly number[];
  /** Rounds per store and concurrency, and per HTTP target and route; the median round by throughput is reported. */
  readonly rounds: number;
  /** Connections of the HTTP level. */
  readonly connections: number;
  /** Seconds of each HTTP slice (one per round), after `warmupSeconds` per target that are thrown away. */
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Sessions held by the heap measurement. */
  readonly heapSessions: number;
  /** Simulated milliseconds of churn (one tick each), and sessions created per tick. */
  readonly churnTicks: number;
  readonly churnPerTick: number;
  /** The most sessions the scale part holds per store (sizes 10,000 ×10 up to it). */
  readonly scaleMax: number;
  /** Whether to rewrite bench/RESULTS.md (a full run does unless told not to). */
  readonly writeResults: boolean;
}

const USAGE = `usage: npm run bench -- [${WORKLOADS.join(' | ')}] [options]
  --ops N             operations per store operation (BENCH_OPS; default memory 50000, redis, costs and scale 10000, express 5000 (memory pair 10000), dynamodb 600)
  --concurrency 1,32  store-level concurrencies (BENCH_CONCURRENCY)
  --rounds N          rounds per store and HTTP target; the median is kept (BENCH_ROUNDS, default 3)
  --connections N     HTTP connections (BENCH_CONNECTIONS, default 50)
  --seconds N         seconds per HTTP slice, one per round (BENCH_SECONDS, default 4)
  --warmup N          HTTP warm-up seconds, not measured (BENCH_WARMUP, default 2)
  --heap-sessions N   sessions held by the heap measurement (BENCH_HEAP_SESSIONS, default 1000000)
  --churn-ticks N     simulated ms of churn (BENCH_CHURN_TICKS, default 300000 = 5 minutes)
  --churn-per-tick N  sessions created per tick of churn (BENCH_CHURN_PER_TICK, default 10)
  --max N             scale: most sessions per store, sizes from 10000 by ×10 (BENCH_SCALE_MAX, default 1000000: issue 13's 1M against 10k)
  --write / --no-write  rewrite bench/RESULTS.md (default: only when every part runs)`;

/** A bad command line: the message is the usage text. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the command line, falling back on `BENCH_*` variables, then on the defaults. */
export function parseBenchOptions(argv: readonly string[], env: Env): BenchOptions {
  const flags = new Map<string, string>();
  const named: Workload[] = [];
  let write: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    if (arg === '--write' || arg === '--no-write') {
      write = arg === '--write';
      continue;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value\n${USAGE}`);
      flags.set(name, value);
      continue;
    }
    if (!(WORKLOADS as readonly string[]).includes(arg)) throw new UsageError(`unknown workload "${arg}"\n${USAGE}`);
    named.push(arg as Workload);
  }
  const raw = (flag: string, variable: string): string | undefined => flags.get(flag) ?? env[variable];
  const whole = (flag: string, variable: string, fallback: number): number => {
    const value = raw(flag, variable);
    if (value === undefined || value === '') return fallback;
    if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new UsageError(`--${flag} must be a whole number above 0\n${USAGE}`);
    return Number(value);
  };
  const known = new Set(['ops', 'concurrency', 'rounds', 'connections', 'seconds', 'warmup', 'heap-sessions', 'churn-ticks', 'churn-per-tick', 'max']);
  for (const name of flags.keys()) if (!known.has(name)) throw new UsageError(`unknown option --${name}\n${USAGE}`);

  const concurrencyText = raw('concurrency', 'BENCH_CONCURRENCY') ?? '1,32';
  const concurrencies = concurrencyText.split(',').map((part) => Number(part.trim()));
  if (concurrencies.some((c) => !Number.isInteger(c) || c < 1)) throw new UsageError(`--concurrency takes whole numbers like 1,32\n${USAGE}`);
  const opsText = raw('ops', 'BENCH_OPS');
  const workloads = named.length > 0 ? [...new Set(named)] : [...WORKLOADS];
  return {
    workloads,
    ops: opsText === undefined || opsText === '' ? undefined : whole('ops', 'BENCH_OPS', 1),
    concurrencies,
    rounds: whole('rounds', 'BENCH_ROUNDS', 3),
    connections: whole('connections', 'BENCH_CONNECTIONS', 50),
    seconds: whole('seconds', 'BENCH_SECONDS', 4),
    warmupSeconds: whole('warmup', 'BENCH_WARMUP', 2),
    heapSessions: whole('heap-sessions', 'BENCH_HEAP_SESSIONS', 1_000_000),
    churnTicks: whole('churn-ticks', 'BENCH_CHURN_TICKS', 300_000),
    churnPerTick: whole('churn-per-tick', 'BENCH_CHURN_PER_TICK', 10),
    scaleMax: whole('max', 'BENCH_SCALE_MAX', 1_000_000),
    writeResults: write ?? workloads.length === WORKLOADS.length,
  };
}
