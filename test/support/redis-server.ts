import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HOST = '127.0.0.1';
const STARTUP_MS = 10_000;

/** A redis-server this test process started on an ephemeral port; never the shared 6379. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its working directory (AOF and cluster files). */
  readonly dir: string;
  /** Stops the process and keeps port and directory, so `restart` can bring it back. */
  halt(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  /** Sends the process a signal and returns at once (SIGSTOP freezes it, SIGCONT thaws it). */
  signal(signal: NodeJS.Signals): void;
  /** Stops it for good and removes its directory. */
  stop(): Promise<void>;
}

/** Options of a test server. */
export interface RedisServerOptions {
  /** Turns the append-only file on (fsync every write) for tests that restart with data. */
  readonly appendOnly?: boolean;
  /** Extra `redis-server` arguments. */
  readonly args?: readonly string[];
}

/**
 * Starts a redis-server of its own: persistence off (unless `appendOnly`), bound to 127.0.0.1,
 * in a fresh temporary directory, on a port found free just before. Resolves once it answers PING.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  assertRedisInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'session-api-redis-'));
  const extra = options.args ?? [];
  const argsFor = (port: number): string[] => [
    '--port', String(port),
    '--bind', HOST,
    '--save', '',
    '--appendonly', options.appendOnly ? 'yes' : 'no',
    '--appendfsync', 'always',
    '--dir', dir,
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...extra,
  ];
  // Another process may take the port between finding it and binding it: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(argsFor(port), port);
      const server: RedisServer = {
        host: HOST,
        port,
        url: `redis://${HOST}:${port}`,
        dir,
        async halt(signal = 'SIGTERM') {
          await terminate(child, signal);
        },
        async restart() {
          child = await launch(argsFor(port), port);
        },
        signal(signal) {
          child.kill(signal);
        },
        async stop() {
          child.kill('SIGCONT');
          await terminate(child, 'SIGTERM');
          await rm(dir, { recursive: true, force: true });
        },
      };
      return server;
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`could not start redis-server: ${String(lastError)}`);
}

/** A three-master Redis Cluster of servers this process started. */
export interface RedisClusterServers {
  /** The masters as `host:port`. */
  readonly nodes: readonly string[];
  readonly servers: readonly RedisServer[];
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

/** Starts three cluster-enabled servers, joins them with `redis-cli --cluster create`, waits for `cluster_state:ok`. */
export async function startRedisCluster(): Promise<RedisClusterServers> {
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      // The bus port is given explicitly: port + 10000, redis's default, may not be free.
      const busPort = await freePort();
      servers.push(
        await startRedisServer({
          args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPort),
            '--cluster-node-timeout', '2000'],
        }),
      );
    }
    const nodes = servers.map((s) => `${s.host}:${s.port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    await waitFor(async () => {
      const states = await Promise.all(servers.map((s) => redisCli(s.port, 'CLUSTER', 'INFO')));
      return states.every((info) => info.includes('cluster_state:ok'));
    }, 'cluster_state:ok on every node');
    return { nodes, servers, stop: () => stopAll(servers) };
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
}

/** Runs one command through redis-cli and returns its raw output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], { timeout: 5000 });
  return stdout;
}

async function stopAll(servers: readonly RedisServer[]): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
}

function assertRedisInstalled(): void {
  for (const binary of ['redis-server', 'redis-cli']) {
    const probe = spawnSync(binary, ['--version']);
    if (probe.error) {
      throw new Error(`${binary} not found: install it with \`apt-get install redis-server\``);
    }
  }
}

/** Spawns redis-server and resolves once it answers PING; rejects if it exits first. */
async function launch(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.trim()}`))),
  );
  exited.catch(() => {});
  try {
    await Promise.race([
      exited,
      waitFor(async () => (await redisCli(port, 'PING').catch(() => '')).trim() === 'PONG', `PING on port ${port}`),
    ]);
  } catch (error) {
    await terminate(child, 'SIGKILL');
    throw error;
  }
  return child;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** A port nothing listens on right now: bind port 0, read what the OS gave, release it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => {
        if (typeof address === 'object' && address !== null && address.port !== 6379) resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
