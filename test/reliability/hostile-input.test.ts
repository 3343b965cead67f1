import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { runServer, type RunningServer } from '../../server/run-server.js';
import { rawRequest, type RawOutcome } from '../support/raw-http.js';
import { hostileRequest, requestBytes, summarise, type HostileContext, type HostileRequest } from './hostile-request.js';

// 400 batches of 25 concurrent requests: 10,000 per run, a modest 25 connections at a time.
const RUNS = 400;
const BATCH = 25;
const TOKEN = 'fuzz-token-0123456789abcdef';

/** Why an outcome breaks the contract, or `undefined` when it keeps it. */
function violation(request: HostileRequest, outcome: RawOutcome): string | undefined {
  if (outcome.kind !== 'response') return `no response (${outcome.kind} after ${outcome.received} bytes)`;
  if (outcome.status >= 500) return `status ${outcome.status}`;
  if (outcome.status < 400) return undefined;
  const type = outcome.headers.get('content-type');
  if (type !== 'application/problem+json') return `status ${outcome.status} with content-type ${String(type)}`;
  if (request.method === 'HEAD') return undefined;
  try {
    const problem = JSON.parse(outcome.body.toString('utf8')) as { status?: unknown; title?: unknown };
    if (problem.status !== outcome.status || typeof problem.title !== 'string') return `problem body ${outcome.body.toString('utf8')}`;
  } catch {
    return `unparseable problem body ${JSON.stringify(outcome.body.toString('utf8').slice(0, 200))}`;
  }
  return undefined;
}

describe('hostile input over a real port', () => {
  let running: RunningServer;
  const logLines: string[] = [];
  const answers = new Map<string, number>();
  let sent = 0;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', API_TOKENS: TOKEN, SHUTDOWN_DELAY_MS: '0' });
    running = await runServer(config, createLogger('info', { write: (line: string) => void logLines.push(line) }));
  });
  afterAll(async () => {
    await running?.close();
  });

  it('answers 10,000 random hostile requests without a 5xx, a crash or a non-problem error', async () => {
    const sessionIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`http://127.0.0.1:${running.port}/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: `fuzz-${i}`, data: { i } }),
      });
      expect(response.status).toBe(201);
      sessionIds.push(((await response.json()) as { id: string }).id);
    }
    const ctx: HostileContext = { sessionIds, token: TOKEN };

    await fc.assert(
      fc.asyncProperty(fc.array(hostileRequest(ctx), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const outcomes = await Promise.all(
          batch.map((request) =>
            rawRequest(requestBytes(request), { port: running.port, endAfterWrite: request.framing === 'long-length' }),
          ),
        );
        sent += batch.length;
        batch.forEach((request, i) => {
          const outcome = outcomes[i]!;
          if (outcome.kind === 'response') {
            const slug = outcome.status >= 400 ? /problem:([a-z-]+)/.exec(outcome.body.toString('latin1'))?.[1] : undefined;
            const key = slug === undefined ? String(outcome.status) : `${outcome.status} ${slug}`;
            answers.set(key, (answers.get(key) ?? 0) + 1);
          }
          const broken = violation(request, outcome);
          if (broken !== undefined) {
            throw new Error(`${broken} for ${summarise(request)}`);
          }
        });
      }),
      {
        numRuns: RUNS,
        // A batch is 25 requests, some of them 60 KB: report the one request that broke, not the batch.
        reporter: (details) => {
          if (!details.failed) return;
          const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          throw new Error(`seed ${details.seed}: ${cause}`);
        },
      },
    );

    expect(sent).toBeGreaterThanOrEqual(10_000);
    const health = await fetch(`http://127.0.0.1:${running.port}/health`);
    expect(health.status).toBe(200);
    // Nothing the fuzzer sent reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    // The service logs an error only for what it did not expect: there must be none.
    expect(logLines.filter((line) => line.includes('"level":50'))).toEqual([]);
    console.info(`hostile input: ${sent} requests fuzzed; answers ${JSON.stringify(Object.fromEntries([...answers].sort()))}`);
    // 10,000 requests, some of 60 KB, through one process: far longer than idle on loaded cores.
  }, 600_000);
});
