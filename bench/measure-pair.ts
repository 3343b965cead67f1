import { commandCost, type RedisCounterReader } from './redis-counters.js';
import type { ResultRow } from './result-row.js';
import { runClosedLoop, type Measurement } from './run-closed-loop.js';
import { STORE_OPERATIONS, type CycleOperations, type StoreContender, type StoreOperation } from './store-contender.js';

/** How a pair (ours against a peer) is measured. */
export interface PairMeasureOptions {
  readonly part: string;
  readonly ops: number;
  readonly concurrencies: readonly number[];
  readonly rounds: number;
  /** What each operation is called in the rows (express-session's method names). */
  readonly operationNames: Readonly<Record<StoreOperation, string>>;
  /** When the pair runs on Redis: its counters are read around every phase of each contender. */
  readonly redis?: RedisCounterReader | undefined;
  readonly progress?: (line: string) => void;
}

/** One contender's phase. */
interface Phase {
  readonly measured: Measurement;
  readonly serverMicros?: number;
  readonly calls?: string;
  readonly bytesPerSession?: number;
}

/**
 * Ours against a peer, as ratios from the same run. Per concurrency, each round gives both fresh
 * sessions and runs them phase by phase (every create, then every get, ...), the two taking turns
 * within each phase and the one going first alternating between rounds (ABAB, BABA), so a noisy
 * moment of a shared machine falls on both alike. Per round and operation the ratio is ours'
 * throughput over the peer's; the row of ratios gives the median over the rounds (and each round's),
 * the contenders' rows their median round by throughput. On Redis, `INFO commandstats` and
 * `used_memory` are read before and after each contender's phase: server µs per operation (a
 * script's own time, which includes what it calls) and the commands sent, and bytes per session
 * (what the creates added, over their number), medians over the rounds.
 */
export async function measurePair(ours: StoreContender, peer: StoreContender, options: PairMeasureOptions): Promise<ResultRow[]> {
  const pair = [ours, peer] as const;
  // Warm-up at the highest concurrency: JIT, connections, scripts loaded into Redis.
  await runRound(pair, Math.min(options.ops, 2_000), Math.max(...options.concurrencies), 0, undefined);

  const rows: ResultRow[] = [];
  for (const concurrency of options.concurrencies) {
    const rounds: Map<StoreOperation, [Phase, Phase]>[] = [];
    for (let round = 0; round < options.rounds; round++) {
      options.progress?.(`${options.part}: ${ours.name} / ${peer.name}, c=${concurrency}, round ${round + 1}/${options.rounds}`);
      rounds.push(await runRound(pair, options.ops, concurrency, round, options.redis));
    }
    for (const operation of STORE_OPERATIONS) {
      const phases = rounds.map((round) => round.get(operation) as [Phase, Phase]);
      const ratios = phases.map(([a, b]) => a.measured.opsPerSec / b.measured.opsPerSec);
      rows.push({
        part: options.part,
        subject: `${ours.name} / ${peer.name}`,
        operation: options.operationNames[operation],
        concurrency,
        ratio: median(ratios),
        note: `rounds: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}`,
      });
      pair.forEach((contender, side) => {
        const own = phases.map((phase) => phase[side] as Phase);
        const kept = [...own].sort((a, b) => a.measured.opsPerSec - b.measured.opsPerSec)[Math.floor((own.length - 1) / 2)] as Phase;
        const server = own.map((p) => p.serverMicros).filter((v): v is number => v !== undefined);
        const bytes = own.map((p) => p.bytesPerSession).filter((v): v is number => v !== undefined);
        rows.push({
          part: options.part,
          subject: contender.name,
          operation: options.operationNames[operation],
          concurrency,
          ...kept.measured,
          ...(server.length > 0 ? { redisServerUs: median(server) } : {}),
          ...(bytes.length > 0 ? { bytesPerSession: median(bytes) } : {}),
          ...(kept.calls === undefined ? {} : { note: kept.calls }),
        });
      });
    }
  }
  return rows;
}

async function runRound(
  pair: readonly [StoreContender, StoreContender],
  ops: number,
  concurrency: number,
  round: number,
  redis: RedisCounterReader | undefined,
): Promise<Map<StoreOperation, [Phase, Phase]>> {
  const cycles = await Promise.all(pair.map((contender) => contender.cycle(ops)));
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  const phases = new Map<StoreOperation, [Phase, Phase]>();
  for (const operation of STORE_OPERATIONS) {
    const both: Phase[] = [];
    for (const side of order) both[side] = await runPhase((cycles[side] as CycleOperations)[operation], operation, ops, concurrency, redis);
    phases.set(operation, both as [Phase, Phase]);
  }
  return phases;
}

async function runPhase(
  call: (index: number) => Promise<void>,
  operation: StoreOperation,
  ops: number,
  concurrency: number,
  redis: RedisCounterReader | undefined,
): Promise<Phase> {
  if (redis === undefined) return { measured: await runClosedLoop(call, ops, concurrency) };
  const before = await redis.read();
  const measured = await runClosedLoop(call, ops, concurrency);
  const after = await redis.read();
  const { serverMicros, calls } = commandCost(before, after, ops);
  return {
    measured,
    serverMicros,
    calls,
    ...(operation === 'create' ? { bytesPerSession: (after.usedMemory - before.usedMemory) / ops } : {}),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}
