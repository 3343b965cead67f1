import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionClient, SessionClientFailure } from '../../client/index.js';

const ID = 'Qx3f.9Jd0cJ2nX1lq8Wv5Zk7aBc';

describe('timeouts', () => {
  // A TCP server that takes every connection and never answers, and one that stalls mid-body.
  let silent: Server;
  let stalling: Server;
  const sockets = new Set<Socket>();
  const listen = async (server: Server) => {
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  let silentUrl: string;
  let stallingUrl: string;
  beforeAll(async () => {
    silent = createServer(() => {});
    silentUrl = await listen(silent);
    stalling = createServer((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":'));
    });
    stallingUrl = await listen(stalling);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([silent, stalling].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('gives up on a server that never answers after timeoutMs, as a timeout failure', async () => {
    const client = createSessionClient({ baseUrl: silentUrl, timeoutMs: 300 });
    const started = Date.now();
    const error = await client.get(ID).catch((reason: unknown) => reason);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(SessionClientFailure);
    expect(error).toMatchObject({ kind: 'timeout', operationId: 'getSession', attempts: 1 });
    expect((error as Error).message).toBe('getSession: no answer within 300 ms');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(5000);
  });

  it('a call takes its own timeoutMs, and a body that stalls times out too', async () => {
    const client = createSessionClient({ baseUrl: stallingUrl, timeoutMs: 60_000 });
    const error = await client.get(ID, { timeoutMs: 300 }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ kind: 'timeout', operationId: 'getSession' });
  });

  it('a caller\u2019s signal aborts the call with its own reason', async () => {
    const client = createSessionClient({ baseUrl: silentUrl, timeoutMs: 60_000 });
    const controller = new AbortController();
    const call = client.list({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('the caller went away')), 50);
    await expect(call).rejects.toThrow('the caller went away');
  });
});
