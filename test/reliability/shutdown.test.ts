import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResponse, type RawOutcome } from '../support/raw-http.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { startTicks } from '../support/timer-slowdown.js';

const IN_FLIGHT = 50;

/**
 * A PATCH whose body arrives in two halves: between them the service is still processing it,
 * so "in flight" is a fact the test controls rather than a race it hopes to win.
 */
function startPatch(port: number, id: string, key: string): { socket: Socket; finish(): void; response: Promise<RawOutcome> } {
  const body = Buffer.from(JSON.stringify({ data: { [key]: 'x'.repeat(500) } }));
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const response = new Promise<RawOutcome>((resolve) => {
    const settle = () => resolve(parseResponse(Buffer.concat(chunks)) ?? { kind: 'closed', received: Buffer.concat(chunks).length });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parseResponse(Buffer.concat(chunks), true)) settle();
    });
    socket.on('close', settle);
    socket.on('error', settle);
  });
  const half = body.length >> 1;
  socket.write(
    `PATCH /sessions/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  socket.write(body.subarray(0, half));
  return { socket, finish: () => socket.write(body.subarray(half)), response };
}

describe('SIGTERM with 50 requests in flight (the built bin)', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill();
  });

  it('completes all 50, turns /ready 503 first, and exits 0 within 10 s', async () => {
    service = await startServiceProcess({ LOG_LEVEL: 'warn' });
    const { url, port } = service;
    const created = await fetch(`${url}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":"drain"}' });
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${url}/ready`)).status).toBe(200);

    const requests = Array.from({ length: IN_FLIGHT }, (_, i) => startPatch(port, id, `k${i}`));
    let answered = 0;
    for (const request of requests) void request.response.then(() => answered++);
    // All 50 heads and half-bodies are on the wire before the signal.
    await Promise.all(requests.map(({ socket }) => new Promise((resolve) => (socket.connecting ? socket.once('connect', resolve) : resolve(undefined)))));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const signalled = performance.now();
    // The bounds below are for an idle machine, stretched by how late timers run meanwhile.
    const ticks = startTicks();
    service.child.kill('SIGTERM');
    let ready = 200;
    while (ready === 200 && performance.now() - signalled < 5_000 * ticks.slowdown()) ready = (await fetch(`${url}/ready`)).status;
    expect(ready).toBe(503);
    // /ready said 503 while every one of the 50 was still waiting for the rest of its body.
    expect(answered).toBe(0);

    for (const request of requests) request.finish();
    const outcomes = await Promise.all(requests.map((r) => r.response));
    const statuses = outcomes.map((outcome) => (outcome.kind === 'response' ? outcome.status : outcome.kind));
    expect(statuses).toEqual(Array(IN_FLIGHT).fill(200));
    // Concurrent merges during the drain were all applied, one version each.
    const versions = outcomes.map((o) => (o.kind === 'response' ? (JSON.parse(o.body.toString()) as { version: number }).version : 0));
    expect(new Set(versions).size).toBe(IN_FLIGHT);
    expect(Math.max(...versions)).toBe(IN_FLIGHT + 1);

    const exit = await service.exited();
    const elapsed = performance.now() - signalled;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(10_000 * ticks.stop());
    for (const { socket } of requests) socket.destroy();
    console.info(`shutdown: ${IN_FLIGHT} in flight, all 200; exited 0 after ${Math.round(elapsed)} ms`);
  });
});
