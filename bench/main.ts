import type { Cluster, Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, UsageError, type BenchOptions, type Workload } from './bench-options.js';
import { startRedisProcess, type RedisProcess } from './redis-process.js';
import { describeMachine } from './machine.js';
import type { ResultRow } from './result-row.js';
import { writeResultsFile } from './results-file.js';
import { renderResultsTable } from './results-table.js';
import { nodeSha256 } from './node-sha256.js';
import { SUBJECTS } from './subjects.js';
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
- Redis costs (\`costs\`): what each operation costs Redis, the way its capacity is spent. Our
  store (through the port v2, as the service calls it), the ceiling (one raw command per operation
  in connect-redis's layout: one string of session JSON, \`SET PX\` / \`GET\` / \`PEXPIRE\` /
  \`DEL\`), connect-redis itself, and the floor of our layout (per operation one script of only
  the commands our keys need: create \`SET NX PX\` and two \`ZADD\`; replace and refresh \`GET\`,
  \`SET PX\`; delete \`GET\`, \`DEL\`, two \`ZREM\`; get a \`GET\`; its note says where it stands
  against the ceiling and ours against it) each run the same closed loop (the highest \`--concurrency\`,
  \`--ops\` calls a phase) on clients made by the service's own factory. Around each phase
  \`INFO cpu, memory, commandstats\` is read, then again around an idle phase as long, whose CPU
  is taken out: \`redis cpu µs/op\` is main-thread user + system CPU per operation,
  \`redis µs/op\` the commandstats time (a script's own, which includes the commands it calls),
  \`B/session\` the \`used_memory\` the creates added over their number. Medians of \`--rounds\`.
- express-session stores (\`express\`, issue 16): our \`createExpressStore\` over the Redis store
  against connect-redis 7 on the same redis-server (clients of their own from the service's
  factory), and over the memory store against memorystore, both called as express-session calls a
  store: \`set\` of a new session, \`get\`, \`set\` of a changed one, \`touch\`, \`destroy\`; the
  same session objects (an express-session sid, a cookie whose \`expires\` sets both lifetimes, a
  user per session). Per round both run every phase, taking turns, the first alternating between
  rounds; \`ratio\` is the median over the rounds of ours' throughput over the peer's, in the
  row naming both. Redis: \`INFO commandstats\` and \`used_memory\` read around each contender's
  phase: \`redis µs/op\` (a script's own time), the commands per operation, and \`B/session\`
  (what the creates added over their number).
- Round trips (\`trips\`): the HTTP app and service as the server builds them, over the memory
  store wrapped to count port calls; each operation runs once on a session made for it.
- Scale (\`scale\`): the memory store, the Redis store (a redis-server per size) and a bare Map
  of the same session objects, filled to every size from 10,000 by ×10 up to \`--max\`
  (1,000,000 by default: issue 13 holds 1M against 10k) and all held at once; then rounds over the sizes
  (rotating) of \`--ops\` random gets and as many creates (deleted again, untimed), 32 in flight;
  their \`cpu µs/req\` is this process's CPU per operation, the median over the rounds.
  Then the first page of 1,000 with 100,000 stored (wall time and Redis time), a walk to the end
  of a listing where 100,000 sessions have expired for the core but not yet for Redis (the
  backlog a store reclaims through its own index) while another connection PINGs back to back
  (from a worker thread, after a second of the same with Redis idle: the machine's own noise),
  and log out everywhere of 50,000 sessions of one user through the HTTP service, whose Redis
  client has the service's 1 s command timeout. Each part prints how long it took. Every Redis
  logs scripts over 200 µs (SLOWLOG): each phase and size reports its slowest script, how many of
  all ran over 1 ms and their p99.9, the slowest command a script called, and how often the kernel
  preempted Redis's main thread in the phase (\`/proc\`). SLOWLOG times by the wall clock: a
  one-key command a script called running over 1 ms is Redis stalled, not the script's work.
  The largest size is filled once more in the ceiling's layout (one \`SET PX\` a session, on a
  Redis of its own): its slowest \`SET\` (the keyspace's hash table growing, the machine) is the
  floor under the slowest script's figure.
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
  // Each part is imported when it runs: while a store is being rewritten, only the parts that
  // load it fail, and the run goes on with the others.
  const runners: Record<Workload, () => Promise<void>> = {
    memory: async () => void rows.push(...(await (await import('./memory-workload.js')).runMemoryWorkload(options, progress))),
    redis: async () => void rows.push(...(await (await import('./redis-workload.js')).runRedisWorkload(options, await redisUrl(), progress))),
    costs: async () => void rows.push(...(await (await import('./costs-workload.js')).runCostsWorkload(options, await redisUrl(), progress))),
    dynamodb: async () => void rows.push(...(await (await import('./dynamodb-workload.js')).runDynamoWorkload(options, progress))),
    touch: async () => void rows.push(...(await (await import('./touch-workload.js')).runTouchWorkload(options, redisUrl, progress))),
    express: async () => void rows.push(...(await (await import('./express-workload.js')).runExpressWorkload(options, await redisUrl(), progress))),
    http: async () =>
      void rows.push(
        ...(await (await import('./http-workload.js')).runHttpWorkload(options, {
          targets: ['node', 'koa', 'memory', 'redis', 'dynamodb'],
          env: { REDIS_URL: await redisUrl() },
          progress,
        })),
      ),
    trips: async () => {
      const { MemorySessionStore } = await import('../adapters/memory/index.js');
      const { measureRoundTrips } = await import('./round-trips.js');
      rows.push(...(await measureRoundTrips(new MemorySessionStore(), `${SUBJECTS.httpService} + memory store`)));
    },
    heap: async () => {
      const measured = await (await import('./heap-workload.js')).runHeapWorkload(options, progress);
      rows.push(...measured.rows);
      heap = measured.heap;
    },
    scale: async () => {
      // A store that does not load yet is left out with a row saying why; the others still run.
      const load = async <T>(name: string, loading: Promise<T>): Promise<T | undefined> =>
        loading.catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          progress(`scale: ${name} FAILED to load: ${reason}`);
          rows.push({ part: 'scale', subject: name, operation: 'every measurement', note: `FAILED: could not load: ${reason}` });
          return undefined;
        });
      const memory = await load(SUBJECTS.scaleMemory, import('../adapters/memory/index.js'));
      const redis = await load(SUBJECTS.scaleRedis, import('../adapters/redis/index.js'));
      const { runScaleWorkload } = await import('./scale-workload.js');
      const stores = {
        memory: memory && (() => new memory.MemorySessionStore()),
        redis: redis && ((client: Redis | Cluster) => new redis.RedisSessionStore(client, { sha256: nodeSha256 })),
      };
      rows.push(...(await runScaleWorkload(options, stores, progress)));
    },
  };
  const failed: string[] = [];
  try {
    for (const workload of options.workloads) {
      const started = performance.now();
      try {
        await runners[workload]();
      } catch (error) {
        // Reported and counted, never hidden: the run exits non-zero, with the other parts' figures.
        failed.push(workload);
        progress(`${workload} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      progress(`${workload} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await (await redis?.catch(() => undefined))?.stop();
  }

  const table = renderResultsTable(rows);
  const targets = renderTargets(checkTargets(rows, heap));
  process.stdout.write(`${table}\n\n${targets}\n`);
  if (failed.length > 0) {
    process.stderr.write(`[bench] failed: ${failed.join(', ')}; RESULTS.md not written\n`);
    process.exitCode = 1;
  } else if (options.writeResults) {
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
