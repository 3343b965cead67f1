import { MemorySessionStore } from '../adapters/memory/index.js';
import { createSessionService, type Clock } from '../core/index.js';
import { benchHandle } from './bench-handles.js';
import { benchSession } from './session-fixture.js';

// A child process run with --expose-gc, so its heap holds nothing but what it measures:
// `node --expose-gc heap-probe.js <sessions> <churnTicks> <churnPerTick>`. Prints JSON.

/** What the probe measured, in bytes. */
export interface HeapReport {
  readonly sessions: number;
  readonly heapBytesPerSession: number;
  readonly rssBytesPerSession: number;
  readonly churn: {
    readonly ticks: number;
    readonly created: number;
    /** Heap after a full GC, every tenth of the churn (the first before it starts). */
    readonly samples: readonly number[];
    readonly sizeAtEnd: number;
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run the heap probe with --expose-gc');

function settledMemory(): NodeJS.MemoryUsage {
  // Twice: the first pass can leave finalizer work that the second one frees.
  gc?.();
  gc?.();
  return process.memoryUsage();
}

/**
 * Heap and RSS per session of a store holding `count` live sessions, one user each. Handles, user
 * ids and data are all made after the first reading, so everything a session holds is counted.
 */
async function holdSessions(count: number): Promise<{ heap: number; rss: number }> {
  const before = settledMemory();
  const store = new MemorySessionStore();
  const now = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    await store.create(benchSession(await benchHandle(`user-${i}`), now, 1, `user-${i}`), now);
  }
  const after = settledMemory();
  if (store.size !== count) throw new Error(`held ${store.size} sessions, not ${count}`);
  return { heap: (after.heapUsed - before.heapUsed) / count, rss: (after.rss - before.rss) / count };
}

/**
 * Churn through the service: sessions live one tick (1 ms), the clock moves a tick, more are
 * created. No read ever touches the old ones, so only the store's own reclaiming frees them.
 */
async function churn(ticks: number, perTick: number): Promise<HeapReport['churn']> {
  let now = Date.UTC(2026, 0, 1);
  const clock: Clock = { now: () => now };
  const store = new MemorySessionStore();
  const service = createSessionService({ store, clock, policy: { defaultTtl: 1 } });
  const samples = [settledMemory().heapUsed];
  const sampleEvery = Math.max(1, Math.floor(ticks / 10));
  let created = 0;
  for (let tick = 1; tick <= ticks; tick++) {
    for (let i = 0; i < perTick; i++) {
      await service.create({ userId: `user-${created % 1000}`, data: benchSession('', 0).data });
      created++;
    }
    now += 1;
    if (tick % sampleEvery === 0) samples.push(settledMemory().heapUsed);
  }
  return { ticks, created, samples, sizeAtEnd: store.size };
}

const [sessions, ticks, perTick] = process.argv.slice(2).map(Number) as [number, number, number];
const held = await holdSessions(sessions);
const report: HeapReport = {
  sessions,
  heapBytesPerSession: held.heap,
  rssBytesPerSession: held.rss,
  churn: await churn(ticks, perTick),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
