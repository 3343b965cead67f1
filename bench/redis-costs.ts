import { setTimeout as wait } from 'node:timers/promises';
import { commandCost, RedisCounterReader } from './redis-counters.js';
import type { ResultRow } from './result-row.js';
import { runClosedLoop, type Measurement } from './run-closed-loop.js';
import { STORE_OPERATIONS, type StoreContender, type StoreOperation } from './store-contender.js';

/** How the Redis side of a group of contenders is measured. */
export interface RedisCostOptions {
  readonly url: string;
  readonly ops: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly progress?: (line: string) => void;
}

/** One phase's figures. */
interface PhaseCost {
  readonly measured: Measurement;
  readonly cpuMicros: number;
  readonly serverMicros: number;
  readonly calls: string;
  readonly bytesPerSession?: number;
}

/**
 * What each operation costs Redis, the way its capacity is spent: Redis is single-threaded, so
 * main-thread CPU per operation bounds what one Redis serves everyone. Every contender runs the
 * same closed loop (`concurrency` callers, `ops` calls a phase) with the same client settings;
 * around each phase `INFO` is read, then again around an idle phase of the same length, whose
 * CPU (serverCron, the readings themselves) is taken out. Bytes per session: `used_memory` after
 * the creates less before, over `ops`. Per round the contenders take turns (the order rotating);
 * per operation the median round by CPU is kept, and the median bytes.
 */
export async function measureRedisCosts(all: readonly StoreContender[], options: RedisCostOptions): Promise<ResultRow[]> {
  const reader = new RedisCounterReader(options.url);
  try {
    // Warm-up: JIT, connections, scripts loaded into Redis (SCRIPT LOAD holds memory once). A
    // contender that fails here (a store mid-rewrite) is reported in a row of its own and left
    // out, so the ceiling and the peer are still measured.
    const rows: ResultRow[] = [];
    const working: StoreContender[] = [];
    for (const contender of all) {
      try {
        await runCycle(reader, contender, Math.min(options.ops, 1_000), options.concurrency, false);
        working.push(contender);
      } catch (error) {
        options.progress?.(`costs: ${contender.name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
        rows.push({ part: 'costs', subject: contender.name, operation: 'every operation', note: `FAILED: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    // Whatever a failed warm-up left behind would hold memory during the rounds.
    await reader.call('FLUSHALL');
    const contenders = working;
    const rounds = new Map(contenders.map((c) => [c, [] as Map<StoreOperation, PhaseCost>[]]));
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const contender = contenders[(k + round) % contenders.length] as StoreContender;
        options.progress?.(`costs: ${contender.name}, round ${round + 1}/${options.rounds}`);
        rounds.get(contender)?.push(await runCycle(reader, contender, options.ops, options.concurrency, true));
      }
    }
    for (const contender of contenders) {
      const measured = rounds.get(contender) ?? [];
      const bytes = median(measured.map((phases) => phases.get('create')?.bytesPerSession ?? NaN));
      for (const operation of STORE_OPERATIONS) {
        const phases = measured.map((phases) => phases.get(operation) as PhaseCost).sort((a, b) => a.cpuMicros - b.cpuMicros);
        const kept = phases[Math.floor((phases.length - 1) / 2)] as PhaseCost;
        rows.push({
          part: 'costs',
          subject: contender.name,
          operation,
          concurrency: options.concurrency,
          ...kept.measured,
          redisCpuUs: kept.cpuMicros,
          redisServerUs: kept.serverMicros,
          ...(operation === 'create' ? { bytesPerSession: bytes } : {}),
          note: kept.calls,
        });
      }
    }
    return rows;
  } finally {
    await reader.close();
  }
}

async function runCycle(
  reader: RedisCounterReader,
  contender: StoreContender,
  ops: number,
  concurrency: number,
  idle: boolean,
): Promise<Map<StoreOperation, PhaseCost>> {
  const cycle = await contender.cycle(ops);
  const phases = new Map<StoreOperation, PhaseCost>();
  for (const operation of STORE_OPERATIONS) {
    const before = await reader.read();
    const started = performance.now();
    const measured = await runClosedLoop(cycle[operation], ops, concurrency);
    const elapsed = performance.now() - started;
    const after = await reader.read();
    let idleMicros = 0;
    if (idle) {
      const idleBefore = await reader.read();
      await wait(elapsed);
      idleMicros = (await reader.read()).cpuMicros - idleBefore.cpuMicros;
    }
    const { serverMicros, calls } = commandCost(before, after, ops);
    phases.set(operation, {
      measured,
      cpuMicros: (after.cpuMicros - before.cpuMicros - idleMicros) / ops,
      serverMicros,
      calls,
      ...(operation === 'create' ? { bytesPerSession: (after.usedMemory - before.usedMemory) / ops } : {}),
    });
  }
  return phases;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}
