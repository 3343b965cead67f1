import { afterAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { answersBetween, reportFigure } from './fault-figures.js';
import { MixedLoad } from './mixed-load.js';
import { expectQuick503s, firstSuccessAfter } from './outage-answers.js';
import { auditSessions, expectNothingLost } from './session-audit.js';

const COMMAND_TIMEOUT_MS = 500;
// What a 503 may take beyond the command timeout: the HTTP round trip and a busy CI core.
const MARGIN_MS = 750;
const LOAD_MS = 20_000;
const PAUSE_AT_MS = 8_000;
const PAUSE_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis frozen with SIGSTOP for 3 s in the middle of a 20 s mixed load', () => {
  let redis: RedisServer | undefined;
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill();
    await redis?.stop();
  });

  it('answers 503 + Retry-After during the pause, recovers within 2 s, loses nothing acknowledged', async () => {
    redis = await startRedisServer();
    service = await startServiceProcess({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), LOG_LEVEL: 'warn' });
    const pid = service.child.pid;
    const load = new MixedLoad(service.url, { workers: 8, pauseMs: 5 });

    const began = performance.now();
    load.start();
    await sleep(PAUSE_AT_MS);
    const stopped = performance.now();
    redis.signal('SIGSTOP');
    await sleep(PAUSE_MS);
    const resumed = performance.now();
    redis.signal('SIGCONT');
    await sleep(LOAD_MS - PAUSE_AT_MS - PAUSE_MS);
    await load.stop();
    const ended = performance.now();

    // During the pause: every request sent once Redis was frozen, early enough to be answered
    // before it thawed, is a quick 503 problem with Retry-After.
    const duringPause = load.records.filter((r) => r.start >= stopped + 20 && r.start < resumed - COMMAND_TIMEOUT_MS - MARGIN_MS);
    expect(duringPause.length).toBeGreaterThan(10);
    expectQuick503s(duringPause, COMMAND_TIMEOUT_MS + MARGIN_MS);
    // After it: the first success comes within 2 s, and from then on Redis being slow is over.
    const firstSuccess = firstSuccessAfter(load.records, resumed);
    expect(firstSuccess - resumed).toBeLessThan(2_000);
    const afterRecovery = load.records.filter((r) => r.start >= resumed + 2_000);
    expect(afterRecovery.filter((r) => r.status === 503 || r.status === 'error')).toEqual([]);
    // No restart: the same process served throughout.
    expect(service.child.exitCode).toBeNull();
    expect(service.child.pid).toBe(pid);

    expect(load.anomalies).toEqual([]);
    const audit = await auditSessions(service.url, load);
    expectNothingLost(audit);
    expect(service.output()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/);

    reportFigure('redis SIGSTOP 3 s', {
      requests: load.records.length,
      before: answersBetween(load.records, began, stopped),
      duringPause: answersBetween(load.records, stopped, resumed),
      afterPause: answersBetween(load.records, resumed, ended),
      firstSuccessAfterResumeMs: Math.round(firstSuccess - resumed),
      slowest503Ms: Math.round(Math.max(...duringPause.map((r) => r.end - r.start))),
      unknownCreates: load.unknownCreates,
      sessionsChecked: audit.checked,
      sessionsListed: audit.listed,
      sessionsLost: audit.lost.length,
    });
  });
});
