import { Worker } from 'node:worker_threads';

/** What a probe saw between `start` and `stop`: its slowest round and how many it made. */
export interface ProbeResult {
  readonly maxMs: number;
  readonly rounds: number;
}

/** Measures how long something else waits while the benchmark works: round after round until stopped. */
export interface LatencyProbe {
  start(): void;
  stop(): Promise<ProbeResult>;
}

/** The event loop's own turns (setImmediate after setImmediate): what a store in this process blocks. */
export function eventLoopProbe(): LatencyProbe {
  let running = false;
  let maxMs = 0;
  let rounds = 0;
  let loop: Promise<void> = Promise.resolve();
  return {
    start() {
      running = true;
      maxMs = 0;
      rounds = 0;
      loop = (async () => {
        while (running) {
          const started = performance.now();
          await new Promise<void>((resolve) => setImmediate(resolve));
          maxMs = Math.max(maxMs, performance.now() - started);
          rounds++;
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      return { maxMs, rounds };
    },
  };
}

/**
 * PINGs back to back on a connection of their own, in a worker thread: another client's wait, not
 * this process's. From the main thread the time would include every turn of its event loop that the
 * listing itself held (decoding a page of 1,064 values), which is no wait inside Redis.
 */
const PING_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createConnection } = require('node:net');
const socket = createConnection({ host: '127.0.0.1', port: workerData.port });
socket.setNoDelay(true);
// PINGs only between 'start' and 'report', so that it takes no CPU from the rest of the benchmark.
let running = false, maxMs = 0, rounds = 0, started = 0;
const ping = () => { started = performance.now(); socket.write('PING\\r\\n'); };
socket.on('connect', () => parentPort.postMessage('connected'));
socket.on('data', () => {
  maxMs = Math.max(maxMs, performance.now() - started);
  rounds++;
  if (running) ping(); else parentPort.postMessage({ maxMs, rounds });
});
parentPort.on('message', (message) => {
  if (message === 'start') { maxMs = 0; rounds = 0; running = true; ping(); }
  if (message === 'report') running = false;
  if (message === 'close') { socket.end(); parentPort.close(); }
});
`;

/** A PING probe of the redis-server at 127.0.0.1:`port`, connected once it resolves; `close` ends the worker. */
export async function redisPingProbe(port: number): Promise<LatencyProbe & { close(): Promise<void> }> {
  const worker = new Worker(PING_WORKER, { eval: true, workerData: { port } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    start() {
      worker.postMessage('start');
    },
    async stop() {
      const result = new Promise<ProbeResult>((resolve) => worker.once('message', resolve));
      worker.postMessage('report');
      return result;
    },
    async close() {
      worker.postMessage('close');
      await worker.terminate();
    },
  };
}
