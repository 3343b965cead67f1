import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionService, type SessionStore } from '../core/index.js';
import { createHttpApp } from '../transports/http/index.js';
import { benchHandle } from './bench-handles.js';
import { nodeSha256 } from './node-sha256.js';
import { runClosedLoop } from './run-closed-loop.js';
import { benchSession } from './session-fixture.js';
import { SCALE_CONCURRENCY } from './scale-target.js';
import { expectOutcome } from './store-contender.js';

/** What log out everywhere did through the service. */
export interface LogoutResult {
  readonly status: number;
  readonly deleted: number | undefined;
  readonly ms: number;
}

/**
 * Log out everywhere for one user holding `count` sessions, through the HTTP app and service as
 * the server builds them (`DELETE /sessions/user/{userId}`), on a store whose client has the
 * service's command timeout: a store that deletes them in one long call answers 503 here.
 */
export async function logOutEverywhere(store: SessionStore, count: number): Promise<LogoutResult> {
  const userId = `logout-${Date.now()}`;
  const handles: string[] = [];
  for (let i = 0; i < count; i++) handles.push(await benchHandle(userId));
  await runClosedLoop(
    async (i) => {
      const now = Date.now();
      expectOutcome('create', await store.create(benchSession(handles[i] as string, now, 1, userId), now), 'created');
    },
    count,
    SCALE_CONCURRENCY,
  );
  const service = createSessionService({ store, sha256: nodeSha256 });
  const server = createServer(createHttpApp({ service }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/sessions/user/${userId}`, { method: 'DELETE' });
    const body = (await response.json().catch(() => undefined)) as { deleted?: number } | undefined;
    return { status: response.status, deleted: body?.deleted, ms: performance.now() - started };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
