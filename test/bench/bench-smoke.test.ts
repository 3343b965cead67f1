import { expect, test } from 'vitest';
import { parseBenchOptions } from '../../bench/bench-options.js';
import { runMemoryWorkload } from '../../bench/memory-workload.js';
import { renderResultsTable } from '../../bench/results-table.js';
import { STORE_OPERATIONS } from '../../bench/store-contender.js';
import { SUBJECTS } from '../../bench/subjects.js';
import { checkTargets } from '../../bench/targets.js';

// Proves the benchmark runs, not how fast anything is: figures are never asserted in a test.
test('the memory workload measures every store and operation, and the table and targets are made from it', async () => {
  const options = parseBenchOptions(['memory', '--ops', '300', '--rounds', '1', '--concurrency', '1,4'], {});
  expect(options.workloads).toEqual(['memory']);
  expect(options.writeResults).toBe(false);

  const rows = await runMemoryWorkload(options, () => {});

  expect(rows).toHaveLength(3 * STORE_OPERATIONS.length * 2);
  for (const row of rows) {
    expect(row.opsPerSec).toBeGreaterThan(0);
    expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms ?? 0);
  }
  const table = renderResultsTable(rows);
  expect(table.split('\n')).toHaveLength(2 + rows.length);
  expect(table).toContain(SUBJECTS.memorystore);
  const targets = checkTargets(rows, undefined).map((check) => check.target);
  expect(targets).toContain('memory c=4: ours get / memorystore get ≥ 1.00×');
});

test('the command line takes workloads and settings, and refuses what it does not know', () => {
  const options = parseBenchOptions(['--ops=500', '--concurrency', '2,8'], { BENCH_ROUNDS: '5' });
  expect(options.workloads).toEqual(['memory', 'redis', 'dynamodb', 'http', 'heap']);
  expect(options).toMatchObject({ ops: 500, concurrencies: [2, 8], rounds: 5, connections: 50, writeResults: true });
  expect(() => parseBenchOptions(['disk'], {})).toThrow(/unknown workload/);
  expect(() => parseBenchOptions(['--ops', 'many'], {})).toThrow(/whole number/);
  expect(() => parseBenchOptions(['--speed', '1'], {})).toThrow(/unknown option/);
});
