import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionService, type SessionService, type SessionServiceOptions, type SessionStore } from '../../core/index.js';
import { createHttpApp, type HttpAppOptions } from '../../transports/http/index.js';
import { ManualClock } from './manual-clock.js';
import { createOpenApiResponseCheck } from './openapi-validator.js';

// Every response any HTTP test receives is held against the published OpenAPI document.
const checkAgainstDocument = createOpenApiResponseCheck();

/** A response, read whole. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

/** The API over a real port on 127.0.0.1, with a clock the test moves. */
export interface TestServer {
  readonly url: string;
  readonly clock: ManualClock;
  readonly service: SessionService;
  request(method: string, path: string, init?: { json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

/** Starts the HTTP app over `store` on an ephemeral port. */
export async function startTestServer(
  store: SessionStore,
  options: { service?: Partial<Omit<SessionServiceOptions, 'store' | 'clock'>>; app?: Partial<Omit<HttpAppOptions, 'service'>> } = {},
): Promise<TestServer> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const service = createSessionService({ ...options.service, store, clock });
  const app = createHttpApp({ ...options.app, service });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    clock,
    service,
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | Uint8Array | undefined = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const contentType = response.headers.get('content-type');
      const problems = checkAgainstDocument(method, path, response.status, contentType, contentType?.startsWith('text/') ? text : parsed);
      if (problems.length > 0) throw new Error(`response does not match openapi.json: ${problems.join('; ')}`);
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
