import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionService, type SessionStore } from '../core/index.js';
import { createHttpApp } from '../transports/http/index.js';
import { countedStore } from './counted-store.js';
import { ROUND_TRIP_LIMITS } from './round-trip-limits.js';
import { nodeSha256 } from './node-sha256.js';
import type { ResultRow } from './result-row.js';
import { BENCH_DATA } from './session-fixture.js';


interface Created {
  readonly id: string;
  readonly token: string | undefined;
  readonly userId: string;
}

/** One HTTP operation on a session made for it; any 2xx means it worked. */
interface TripCase {
  readonly operation: string;
  request(session: Created): { method: string; path: string; body?: unknown; headers?: Record<string, string> };
}

const CASES: readonly TripCase[] = [
  { operation: 'GET /sessions/{id}', request: (s) => ({ method: 'GET', path: `/sessions/${s.id}` }) },
  {
    operation: 'GET /sessions/current (Session-Token)',
    request: (s) => ({ method: 'GET', path: '/sessions/current', headers: { 'Session-Token': s.token ?? '' } }),
  },
  { operation: 'PUT /sessions/{id}', request: (s) => ({ method: 'PUT', path: `/sessions/${s.id}`, body: { data: BENCH_DATA } }) },
  {
    operation: 'PUT /sessions/{id} If-Match',
    request: (s) => ({ method: 'PUT', path: `/sessions/${s.id}`, body: { data: BENCH_DATA }, headers: { 'If-Match': '"1"' } }),
  },
  {
    operation: 'PUT /sessions/{id} If-Match (two versions)',
    request: (s) => ({ method: 'PUT', path: `/sessions/${s.id}`, body: { data: BENCH_DATA }, headers: { 'If-Match': '"1", "2"' } }),
  },
  { operation: 'PATCH /sessions/{id}', request: (s) => ({ method: 'PATCH', path: `/sessions/${s.id}`, body: { data: { theme: 'light' } } }) },
  { operation: 'POST /sessions/{id}/refresh', request: (s) => ({ method: 'POST', path: `/sessions/${s.id}/refresh` }) },
  { operation: 'DELETE /sessions/{id}', request: (s) => ({ method: 'DELETE', path: `/sessions/${s.id}` }) },
  { operation: 'DELETE /sessions/{id} If-Match', request: (s) => ({ method: 'DELETE', path: `/sessions/${s.id}`, headers: { 'If-Match': '"1"' } }) },
  { operation: 'GET /sessions', request: () => ({ method: 'GET', path: '/sessions?limit=10' }) },
  { operation: 'GET /sessions/user/{userId}', request: (s) => ({ method: 'GET', path: `/sessions/user/${s.userId}?limit=10` }) },
  { operation: 'DELETE /sessions/user/{userId}', request: (s) => ({ method: 'DELETE', path: `/sessions/user/${s.userId}` }) },
];

/**
 * Round trips to storage per HTTP operation: the HTTP app and the service as the server builds
 * them, over `store` wrapped to count the port calls each request makes. Each operation runs on
 * a session created for it, so every answer is a success; another status is reported, not
 * counted (a route that is not there yet shows as such).
 */
export async function measureRoundTrips(store: SessionStore, subject: string): Promise<ResultRow[]> {
  const counted = countedStore(store);
  const service = createSessionService({ store: counted.store, sha256: nodeSha256 });
  const server = createServer(createHttpApp({ service }).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  try {
    const rows: ResultRow[] = [];
    const userId = `trips-${Date.now()}`;
    counted.take();
    const created = await send('POST', '/sessions', { userId, data: BENCH_DATA });
    rows.push(row(subject, 'POST /sessions', created.status, counted.take()));
    for (const trip of CASES) {
      const made = (await send('POST', '/sessions', { userId, data: BENCH_DATA })).json as { id: string; token?: string };
      counted.take();
      const { method, path, body, headers } = trip.request({ id: made.id, token: made.token, userId });
      const answered = await send(method, path, body, headers);
      rows.push(row(subject, trip.operation, answered.status, counted.take()));
    }
    return rows;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function row(subject: string, operation: string, status: number, taken: { total: number; calls: string }): ResultRow {
  const limit = ROUND_TRIP_LIMITS[operation] ?? 1;
  const succeeded = status >= 200 && status < 300;
  const answered = succeeded ? '' : ` — answered ${status}, not 2xx`;
  return {
    part: 'trips',
    subject,
    operation,
    note: `${taken.total} store call${taken.total === 1 ? '' : 's'} (${taken.calls || 'none'}); at most ${limit}${answered}`,
    roundTrips: succeeded ? taken.total : undefined,
  };
}
