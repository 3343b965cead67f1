import { fileURLToPath } from 'node:url';
import { parseBenchOptions, UsageError, type BenchOptions, type Workload } from './bench-options.js';
import { runDynamoWorkload } from './dynamodb-workload.js';
import { runHeapWorkload } from './heap-workload.js';
import { runHttpWorkload } from './http-workload.js';
import { runMemoryWorkload } from './memory-workload.js';
import { startRedisProcess, type RedisProcess } from './redis-process.js';
import { runRedisWorkload } from './redis-workload.js';
import { describeMachine } from './machine.js';
import type { ResultRow } from './result-row.js';
import { writeResultsFile } from './results-file.js';
import { renderResultsTable } from './results-table.js';
import { checkTargets, renderTargets, type HeapFigures } from './targets.js';

// `npm run bench -- [workload] [options]`: runs the parts, prints one table, rewrites RESULTS.md.
const RESULTS_PATH = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));

const NOTES = `- Store level: a closed loop of \`c\` callers, each calling again as soon as its last call
  settles; every call is timed. A cycle creates N fresh ids, then reads, replaces, refreshes and
  deletes each once. Each store runs \`--rounds\` rounds (3 by default; the order rotates); the round with
  the median throughput is shown, with its own p50/p99. Our stores are called through the
  \`SessionStore\` port as the core calls them (conditional writes naming the version); the
  express-session stores as express-session calls them (\`set\` for create and replace, \`touch\`
  to refresh, \`destroy\`). Every session carries the same 200-byte \`data\` object.
- HTTP level: autocannon in the benchmark process, each server in a child process of its own, so
  the load generator and the server do not share an event loop (the machine has few cores).
  The service runs as its bin does (\`runServer\` with its configuration from the environment,
  metrics on, log level \`silent\` since the bare servers log nothing); over DynamoDB, dynalite
  runs inside the service's process. Per route each server is warmed up, then the servers take
  turns in slices (one per round, the order rotating); the median slice is shown. \`c\` is
  connections; latencies are autocannon's, in whole milliseconds. \`cpu µs/req\` is the server
  process's user + system CPU time (\`/proc/<pid>/stat\`) over a slice divided by the requests it
  answered, the median over the slices: unlike throughput it hardly depends on what else the
  machine runs. It leaves out redis-server (a process of its own) and takes in dynalite.
- Heap: a child process run with \`--expose-gc\`; heap and RSS are read after a full GC before
  and after filling the store (one user per session, the worst case for the per-user index).
  Churn goes through the service with a clock the probe moves one tick (1 ms) at a time.`;

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const startedAt = new Date();
  const progress = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
  const rows: ResultRow[] = [];
  let heap: HeapFigures | undefined;
  // One redis-server for the whole run, started when a part first needs it.
  let redis: Promise<RedisProcess> | undefined;
  const redisUrl = async (): Promise<string> => (await (redis ??= startRedisProcess())).url;
  const runners: Record<Workload, () => Promise<void>> = {
    memory: async () => void rows.push(...(await runMemoryWorkload(options, progress))),
    redis: async () => void rows.push(...(await runRedisWorkload(options, await redisUrl(), progress))),
    dynamodb: async () => void rows.push(...(await runDynamoWorkload(options, progress))),
    http: async () =>
      void rows.push(
        ...(await runHttpWorkload(options, {
          targets: ['node', 'koa', 'memory', 'redis', 'dynamodb'],
          env: { REDIS_URL: await redisUrl() },
          progress,
        })),
      ),
    heap: async () => {
      const measured = await runHeapWorkload(options, progress);
      rows.push(...measured.rows);
      heap = measured.heap;
    },
  };
  try {
    for (const workload of options.workloads) await runners[workload]();
  } finally {
    await (await redis?.catch(() => undefined))?.stop();
  }

  const table = renderResultsTable(rows);
  const targets = renderTargets(checkTargets(rows, heap));
  process.stdout.write(`${table}\n\n${targets}\n`);
  if (options.writeResults) {
    const args = process.argv.slice(2);
    await writeResultsFile(RESULTS_PATH, {
      table,
      targets,
      machine: describeMachine(),
      command: `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
      startedAt,
      notes: NOTES,
    });
    progress(`wrote ${RESULTS_PATH}`);
  }
}

await main();
