import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountingStore } from '../support/counting-store.js';
import { startCountingTestServer } from '../support/counting-test-server.js';
import type { TestServer } from '../support/http-test-server.js';
import { expectProblem } from './http-api-suite.js';

// Path parameters are percent-decoded by the route table. Whatever a client puts in a segment,
// an undecodable or ill-formed one is a 400 before any store call, and nothing is a 500.

const UNDECODABLE = [
  '%E0%A4%A', // truncated
  '%ED%A0%80', // an encoded lone high surrogate (CESU-8)
  '%ED%BF%BF', // an encoded lone low surrogate
  '%ED%A0%80%ED%B0%80', // an encoded surrogate pair, which UTF-8 forbids
  '%C0%AF', // an overlong '/'
  '%FF',
  '%',
  '%zz',
  'ok%E2%82',
];

describe('path parameters that are not well-formed Unicode', () => {
  let counting: CountingStore;
  let api: TestServer;
  beforeAll(async () => {
    ({ api, counting } = await startCountingTestServer());
  });
  afterAll(() => api.close());

  it.each(UNDECODABLE)('%s is a 400 on every route with a path parameter, before the store', async (segment) => {
    const calls: [string, string, unknown?][] = [
      ['GET', `/sessions/${segment}`],
      ['PUT', `/sessions/${segment}`, { data: {} }],
      ['PATCH', `/sessions/${segment}`, { data: {} }],
      ['DELETE', `/sessions/${segment}`],
      ['POST', `/sessions/${segment}/refresh`],
      ['GET', `/sessions/user/${segment}`],
      ['DELETE', `/sessions/user/${segment}`],
      ['GET', `/sessions/user/${segment}/count`],
    ];
    for (const [method, path, json] of calls) {
      counting.reset();
      const response = await api.request(method, path, json === undefined ? {} : { json });
      expectProblem(response, 400);
      expect(response.body.type).toBe('urn:session-api:problem:malformed-path');
      expect(counting.total(), `${method} ${path} reached the store`).toBe(0);
    }
  });

  it('never answers 500 to any percent-encoded bytes in a user id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 8 }), async (bytes) => {
        const segment = [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
        const response = await api.request('GET', `/sessions/user/${segment}`);
        // `%2e` and `%2e%2e` are dot segments (RFC 3986 §5.2.4, WHATWG URL): the client removes
        // them before sending, so another path arrives, which either routes or is a 404.
        const dotSegment = /^(%2e){1,2}$/.test(segment);
        expect(dotSegment ? [200, 404] : [200, 400]).toContain(response.status);
        let wellFormed = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          wellFormed = false;
        }
        if (!wellFormed) expect(response.body.type).toBe('urn:session-api:problem:malformed-path');
      }),
      { numRuns: 200, examples: [[Uint8Array.from([0x2e])], [Uint8Array.from([0x2e, 0x2e])]] },
    );
  });
});
