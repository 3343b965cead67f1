import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedTestStore } from '../http/http-api-suite.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const RACERS = 50;
// 50 merges that retry at once on every lost race are about 1,300 read-merge-writes, each a few
// round trips, served by a store that may share the test's process: 4 s on an idle machine, 163 s
// for dynalite at a load average of 20 on the 2 cores. The outcome is what counts, not the time.
const RACE_TIMEOUT_MS = 300_000;

/**
 * Races 50 writers on one session over a real port: optimistic concurrency must let exactly one
 * conditional write win, and must lose none of the unconditional merges. Every store runs it.
 */
export function describeConcurrency(storeName: string, openStore: () => Promise<OpenedTestStore>): void {
  describe(`50 concurrent writers on the ${storeName} store, over HTTP`, () => {
    let opened: OpenedTestStore;
    let api: TestServer;
    const create = async (): Promise<string> => {
      const response = await api.request('POST', '/sessions', { json: { userId: `race-${storeName}`, data: { start: true } } });
      expect(response.status, response.text).toBe(201);
      return (response.body as { id: string }).id;
    };

    beforeAll(async () => {
      opened = await openStore();
      api = await startTestServer(opened.store);
    });
    afterAll(async () => {
      await api?.close();
      await opened?.close();
    });

    it('50 PUTs with the same If-Match: exactly one 200, 49 × 412', { timeout: RACE_TIMEOUT_MS }, async () => {
      const id = await create();
      const responses = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          api.request('PUT', `/sessions/${id}`, { json: { data: { winner: i } }, headers: { 'if-match': '"1"' } }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(RACERS - 1);
      const winner = responses.find((r) => r.status === 200)!.body as { data: { winner: number } };
      const final = await api.request('GET', `/sessions/${id}`);
      expect(final.body).toMatchObject({ version: 2, data: { winner: winner.data.winner } });
    });

    it('50 PATCHes without If-Match, each adding its own key: version 51, all 50 keys', { timeout: RACE_TIMEOUT_MS }, async () => {
      const id = await create();
      const responses = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => api.request('PATCH', `/sessions/${id}`, { json: { data: { [`k${i}`]: i } } })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(RACERS).fill(200));
      // Every answer is a distinct version: no two merges claim the same write.
      expect(new Set(responses.map((r) => (r.body as { version: number }).version)).size).toBe(RACERS);
      const final = (await api.request('GET', `/sessions/${id}`)).body as { version: number; data: Record<string, unknown> };
      expect(final.version).toBe(RACERS + 1);
      expect(final.data).toEqual({ start: true, ...Object.fromEntries(Array.from({ length: RACERS }, (_, i) => [`k${i}`, i])) });
    });
  });
}
