import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { runServer, type RunningServer } from '../../server/run-server.js';
import { rawRequest, type RawOutcome } from '../support/raw-http.js';
import { timedAlongsideTicks } from '../support/timer-slowdown.js';

// Regressions the hostile-input fuzzer found: requests Node answers before the app sees them.
function expectProblem(outcome: RawOutcome, status: number): void {
  expect(outcome.kind).toBe('response');
  if (outcome.kind !== 'response') return;
  expect(outcome.status).toBe(status);
  expect(outcome.headers.get('content-type')).toBe('application/problem+json');
  expect(JSON.parse(outcome.body.toString('utf8'))).toMatchObject({ status, type: expect.stringMatching(/^urn:session-api:problem:/) });
}

describe('answers Node settles itself are problem+json too', () => {
  let running: RunningServer;
  const send = (text: string) => rawRequest(Buffer.from(text, 'latin1'), { port: running.port });

  beforeAll(async () => {
    running = await runServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0' }), createLogger('silent'));
  });
  afterAll(async () => {
    await running?.close();
  });

  it('an HTTP/1.1 request without Host is a 400 problem (Node sent a bare 400)', async () => {
    expectProblem(await send('GET /sessions HTTP/1.1\r\nConnection: close\r\n\r\n'), 400);
    // HTTP/1.0 needs no Host.
    const old = await send('GET /health HTTP/1.0\r\n\r\n');
    expect(old.kind === 'response' && old.status).toBe(200);
  });

  it('an Expect other than 100-continue is a 417 problem (Node sent a bare 417)', async () => {
    expectProblem(await send('POST /sessions HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nConnection: close\r\n\r\n'), 417);
  });

  it('a method the router does not know is a 405 with Allow, not a 501', async () => {
    const outcome = await send('TRACE /sessions HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expectProblem(outcome, 405);
    expect(outcome.kind === 'response' && outcome.headers.get('allow')).toBe('POST, HEAD, GET');
  });

  it('a request head over 16 KiB is a 431 problem, malformed HTTP a 400 problem', async () => {
    expectProblem(await send(`GET /health HTTP/1.1\r\nHost: a\r\nX-Big: ${'v'.repeat(20_000)}\r\n\r\n`), 431);
    expectProblem(await send('GET /he alth HTTP/1.1\r\nHost: a\r\n\r\n'), 400);
  });

  it('CONNECT is a 405 problem (Node dropped the connection without a word)', async () => {
    expectProblem(await send('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'), 405);
  });
});

describe('a CONNECT client that never hangs up', () => {
  it('cannot hold the SIGTERM drain open', async () => {
    const running = await runServer(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0', SHUTDOWN_TIMEOUT_MS: "500" }),
      createLogger('silent'),
    );
    // Node stops tracking a CONNECT socket; left paused and open it kept server.close() waiting forever.
    const socket = connect(running.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`CONNECT /sessions HTTP/1.1\r\nHost: a\r\nContent-Length: 60000\r\n\r\n${'x'.repeat(60_000)}`);
    await new Promise((resolve) => socket.once('data', resolve));
    // Its drain gives up after 500 ms; 5 s on an idle machine, stretched as late as timers run.
    const { outcome, elapsedMs, slowdown } = await timedAlongsideTicks(() => running.close());
    expect(outcome.status).toBe('fulfilled');
    expect(elapsedMs).toBeLessThan(5_000 * slowdown);
    socket.destroy();
  });
});
