import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// What `session-api/dynamodb` resolves to (package.json "exports"): the entry library users import.
import {
  closeDynamoDocumentClient,
  createDynamoDocumentClient,
  DYNAMODB_MAX_ATTEMPTS,
  DYNAMODB_REQUEST_TIMEOUT_MS,
  DynamoSessionStore,
} from '../../adapters/dynamodb/index.js';
import { StoreUnavailableError } from '../../core/index.js';

// Hardening item 20, DynamoDB's half: the SDK's defaults have no request timeout, so a silent
// endpoint held a library user's call open indefinitely. The service's factory is the library's.

const T = 1_000_000;
// Generous for a busy machine: three attempts of a second each, plus backoff, fit many times over.
const BOUND_MS = 10 * DYNAMODB_REQUEST_TIMEOUT_MS;

describe('the client from session-api/dynamodb against an endpoint that never answers', () => {
  const sockets = new Set<Socket>();
  let requests = 0;
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Read every request and answer none, like a host behind a black-holing network.
    socket.on('data', (chunk: Buffer) => (requests += chunk.toString('latin1').split('POST / HTTP/1.1').length - 1));
  });
  let endpoint: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails a call with StoreUnavailableError after its attempts time out, with no more attempts than configured', async () => {
    const client = createDynamoDocumentClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'factory', secretAccessKey: 'factory' },
    });
    try {
      const store = new DynamoSessionStore(client, 'sessions');
      const started = performance.now();
      const error = await store.get('4b1f0c8e-1f7a-4c3e-9d2b-6a5e8f7d0c1b', T).then(() => undefined, (e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(elapsed).toBeLessThan(BOUND_MS);
      expect(requests).toBeGreaterThanOrEqual(1);
      expect(requests).toBeLessThanOrEqual(DYNAMODB_MAX_ATTEMPTS);
    } finally {
      closeDynamoDocumentClient(client);
    }
  });
});
