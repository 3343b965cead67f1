import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

/** The built `session-api` bin running as a child process (run `npm run build` first). */
export interface ServiceProcess {
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it with SIGKILL if it still runs, and waits for the exit. */
  kill(): Promise<void>;
  /** Asks it to stop with SIGTERM (it drains and exits) and resolves with the exit. */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Starts the bin on 127.0.0.1 with only `env` (and PATH) as its environment, and resolves once
 * `/health` answers. `port` lets a test start it again where it was.
 */
export async function startServiceProcess(env: Record<string, string>, port?: number): Promise<ServiceProcess> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [bin], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(chosen), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const url = `http://127.0.0.1:${chosen}`;
  // Generous: a node start on two cores shared with a loaded test run has taken over 15 s.
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`session-api exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`session-api did not answer /health in 45 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port: chosen,
    url,
    child,
    output: () => output,
    exited: () => exit,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exit;
    },
    terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

/**
 * Resolves once the process's /ready answers 200: /health answers as soon as it listens, before
 * its store does (a Redis just started on a loaded machine may take seconds), and a test of what
 * the service does with its store starts where a load balancer would send it traffic.
 */
export async function untilStoreReady(service: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${service.url}/ready`);
    const text = await response.text();
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${service.url}/ready still answered ${response.status} after ${timeoutMs} ms: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts `count` service processes one after another into `started` (so that afterAll kills those
 * that did start): starts at once load a busy machine most, and each race is in what the test
 * sends them afterwards.
 */
export async function startServiceProcesses(env: Record<string, string>, count: number, started: ServiceProcess[]): Promise<void> {
  for (let i = 0; i < count; i++) started.push(await startServiceProcess(env));
}
