import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './bench-options.js';
import { runAutocannon, type CannonRequest, type CannonResult } from './autocannon-run.js';
import { HTTP_TARGET_SUBJECT, type HttpTargetKind, type TargetReady } from './http-target-kind.js';
import type { ResultRow } from './result-row.js';
import { processCpuMicros } from './process-cpu.js';
import { BENCH_DATA } from './session-fixture.js';

/** What the HTTP targets need from the rest of the run. */
export interface HttpWorkloadContext {
  /** The targets to measure, in order; ceilings first. */
  readonly targets: readonly HttpTargetKind[];
  /** Extra environment of the target children (the Redis URL). */
  readonly env: Readonly<Record<string, string>>;
  readonly progress: (line: string) => void;
}

const TARGET_SCRIPT = fileURLToPath(new URL('./http-target.js', import.meta.url));
/** Sessions created before measuring, that GET and PUT cycle through. */
const SEEDED_SESSIONS = 200;

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const ROUTES = [
  { operation: 'GET /sessions/{id}', requests: (ids: readonly string[]) => ids.map((id): CannonRequest => ({ method: 'GET', path: `/sessions/${id}` })) },
  {
    operation: 'POST /sessions',
    requests: () => [{ method: 'POST', path: '/sessions', headers: JSON_HEADERS, body: JSON.stringify({ userId: 'bench-user', data: BENCH_DATA }) } satisfies CannonRequest],
  },
  {
    operation: 'PUT /sessions/{id}',
    requests: (ids: readonly string[]) =>
      ids.map((id): CannonRequest => ({ method: 'PUT', path: `/sessions/${id}`, headers: JSON_HEADERS, body: JSON.stringify({ data: BENCH_DATA }) })),
  },
] as const;

/**
 * HTTP level: every target serves from a child process of its own, all started up front. Route
 * by route, each target is warmed up, then the targets take turns in short slices for
 * `rounds` rounds (the order rotating), so a noisy moment on a shared machine hits them alike;
 * the slice with the median throughput is kept. Any non-2xx answer fails the run.
 */
export async function runHttpWorkload(options: BenchOptions, context: HttpWorkloadContext): Promise<ResultRow[]> {
  const started: { kind: HttpTargetKind; child: ChildProcess; url: string; ids: string[] }[] = [];
  try {
    for (const kind of context.targets) {
      const { child, port } = await startTarget(kind, context.env);
      const url = `http://127.0.0.1:${port}`;
      started.push({ kind, child, url, ids: await seedSessions(url) });
    }
    const rows: ResultRow[] = [];
    for (const route of ROUTES) {
      const slices = new Map(started.map((target) => [target, [] as Slice[]]));
      const measure = async (target: (typeof started)[number], seconds: number): Promise<Slice> => {
        const cpuBefore = target.child.pid === undefined ? undefined : processCpuMicros(target.child.pid);
        const result = await runAutocannon(target.url, route.requests(target.ids), options.connections, seconds);
        const cpuAfter = target.child.pid === undefined ? undefined : processCpuMicros(target.child.pid);
        if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
          throw new Error(`${target.kind} ${route.operation}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
        }
        const cpuUsPerRequest = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / result['2xx'];
        return { result, cpuUsPerRequest };
      };
      for (const target of started) {
        context.progress(`http: ${route.operation}, warming up ${target.kind}`);
        await measure(target, options.warmupSeconds);
      }
      for (let round = 0; round < options.rounds; round++) {
        context.progress(`http: ${route.operation}, round ${round + 1}/${options.rounds}`);
        for (let k = 0; k < started.length; k++) {
          const target = started[(k + round) % started.length] as (typeof started)[number];
          slices.get(target)?.push(await measure(target, options.seconds));
        }
      }
      for (const target of started) {
        const measured = slices.get(target) ?? [];
        const { result } = medianByThroughput(measured);
        rows.push({
          part: 'http',
          subject: HTTP_TARGET_SUBJECT[target.kind],
          operation: route.operation,
          concurrency: options.connections,
          opsPerSec: throughput(result),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          cpuUsPerRequest: medianCpu(measured),
        });
      }
    }
    return rows;
  } finally {
    await Promise.all(started.map(({ child }) => stopTarget(child)));
  }
}

/** One measured slice, and the server's CPU time per request answered in it. */
interface Slice {
  readonly result: CannonResult;
  readonly cpuUsPerRequest: number | undefined;
}

function throughput(result: CannonResult): number {
  return result['2xx'] / result.duration;
}

function medianByThroughput(slices: readonly Slice[]): Slice {
  const sorted = [...slices].sort((a, b) => throughput(a.result) - throughput(b.result));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no measurement');
  return middle;
}

/** The median CPU per request over the slices: CPU varies less with the machine's load than throughput does. */
function medianCpu(slices: readonly Slice[]): number | undefined {
  const values = slices.flatMap((slice) => (slice.cpuUsPerRequest === undefined ? [] : [slice.cpuUsPerRequest])).sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)];
}

async function startTarget(kind: HttpTargetKind, env: Readonly<Record<string, string>>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(TARGET_SCRIPT, [kind], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as TargetReady).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${kind} target exited with ${code} before listening`)));
  });
  return { child, port };
}

async function stopTarget(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Creates the sessions GET and PUT cycle through (a bare server only makes up their ids). */
async function seedSessions(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SEEDED_SESSIONS; i++) {
    const response = await fetch(`${url}/sessions`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ userId: `bench-user-${i}`, data: BENCH_DATA }),
    });
    if (response.status !== 201) throw new Error(`seeding ${url}: status ${response.status}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}
