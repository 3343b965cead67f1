import { startRedisCluster, startRedisServer } from '../support/redis-server.js';
import { startServiceProcess, startServiceProcesses, type ServiceProcess } from '../support/service-process.js';
import { waitUntil } from '../support/wait-until.js';

/** How many service processes race on one Redis (issue 15: three). */
export const PROCESSES = 3;

const TOKEN = 'racing-services-api-token-0123456789';

/** The bearer header the racing processes' API takes. */
export const API_HEADERS: Readonly<Record<string, string>> = { authorization: `Bearer ${TOKEN}` };

/** A Redis deployment the processes share, and how to let it go. */
interface RedisUnderTest {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** The deployments every race runs on: a standalone Redis and a three-master Cluster. */
export const REDIS_DEPLOYMENTS: Record<string, () => Promise<RedisUnderTest>> = {
  'standalone Redis': async () => {
    const redis = await startRedisServer();
    return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
  },
  'Redis Cluster': async () => {
    const cluster = await startRedisCluster();
    return { env: { REDIS_CLUSTER_NODES: cluster.nodes.join(',') }, stop: () => cluster.stop() };
  },
};

/** PROCESSES service processes with events on, behind API_HEADERS, on one deployment. */
export class RacingServices {
  readonly processes: ServiceProcess[] = [];
  #redis: RedisUnderTest | undefined;
  #env: Record<string, string> = {};

  /** Starts the deployment, then the processes one after another with `env` added to theirs. */
  async start(deployment: string, env: Record<string, string> = {}): Promise<void> {
    this.#redis = await REDIS_DEPLOYMENTS[deployment]!();
    this.#env = { ...this.#redis.env, SESSION_STORE: 'redis', EVENTS_ENABLED: 'true', API_TOKENS: TOKEN, LOG_LEVEL: 'warn', ...env };
    await startServiceProcesses(this.#env, PROCESSES, this.processes);
    for (const service of this.processes) await untilReady(service);
  }

  /**
   * Stops process `index` with SIGTERM (it drains and exits) and starts it again on its port;
   * resolves with how the old one exited, once the new one is ready.
   */
  async restart(index: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const old = this.processes[index]!;
    const exit = await old.terminate();
    const fresh = await startServiceProcess(this.#env, old.port);
    this.processes[index] = fresh;
    await untilReady(fresh);
    return exit;
  }

  /** Each process's `session_events_expired_total`: the expired sessions its own sweeper claimed. */
  async sweeperClaims(): Promise<number[]> {
    return Promise.all(this.processes.map(sweeperClaimsOf));
  }

  /** The last `chars` of each process's output, for a failure's message. */
  outputs(chars = 4000): string {
    return this.processes.map((service, i) => `--- process ${i} (${service.url})\n${service.output().slice(-chars)}`).join('\n');
  }

  /** Kills the processes and stops the deployment. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.map((service) => service.kill()));
    await this.#redis?.stop();
  }
}

/**
 * Resolves once the process's /ready answers 200 and its sweeper runs (its metric is there).
 * /health answers before the store does (a Cluster client may still be loading its slots), and
 * the sweeper starts only after the store answered: a race starts once every process sweeps.
 */
async function untilReady(service: ServiceProcess): Promise<void> {
  await waitUntil(async () => {
    const response = await fetch(`${service.url}/ready`);
    if (response.status !== 200) throw new Error(`${service.url}/ready answered ${response.status}: ${await response.text()}`);
    await sweeperClaimsOf(service);
  }, 30_000);
}

/** The process's `session_events_expired_total`; throws while it has none. */
async function sweeperClaimsOf(service: ServiceProcess): Promise<number> {
  const response = await fetch(`${service.url}/metrics`);
  const text = await response.text();
  const line = /^session_events_expired_total (\d+)$/m.exec(text);
  if (line === null) throw new Error(`${service.url}/metrics answered ${response.status} without session_events_expired_total`);
  return Number(line[1]);
}
