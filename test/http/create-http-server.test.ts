import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpServer } from '../../transports/http/index.js';
import { rawRequest } from '../support/raw-http.js';

// createHttpServer is the transport's listener: it takes a plain handler as well as a Koa app,
// and what it answers on the wire does not depend on the app behind it.
describe('createHttpServer', () => {
  it('answers what Node rejects itself with problem+json, even in front of a plain handler', async () => {
    const http = createHttpServer((_req, res) => res.end('ok'));
    const port = await http.listen(0, '127.0.0.1');
    try {
      const outcome = await rawRequest(Buffer.from('GET /he alth HTTP/1.1\r\nHost: a\r\n\r\n', 'latin1'), { port });
      expect(outcome.kind === 'response' && [outcome.status, outcome.headers.get('content-type')]).toEqual([400, 'application/problem+json']);
      const served = await rawRequest(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 'latin1'), { port });
      expect(served.kind === 'response' && served.body.toString()).toBe('ok');
    } finally {
      await http.close(1_000);
    }
  });

  it('on close, finishes the request in flight and refuses new connections', async () => {
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const http = createHttpServer((_req, res) => {
      release = () => res.end('done');
      arrived();
    });
    const port = await http.listen(0, '127.0.0.1');
    const inFlight = rawRequest(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'latin1'), { port });
    await received;
    const closed = http.close(5_000);
    release();
    const outcome = await inFlight;
    expect(outcome.kind === 'response' && [outcome.status, outcome.body.toString()]).toEqual([200, 'done']);
    await closed;
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
