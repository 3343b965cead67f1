import { afterAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { answersBetween, reportFigure } from './fault-figures.js';
import { MixedLoad } from './mixed-load.js';
import { expectQuick503s, firstSuccessAfter } from './outage-answers.js';
import { probeReadiness } from './readiness-probe.js';
import { auditSessions, expectNothingLost } from './session-audit.js';

const COMMAND_TIMEOUT_MS = 500;
const MARGIN_MS = 750;
const KILL_AT_MS = 5_000;
const DOWN_MS = 3_000;
const AFTER_MS = 7_000;
// The client retries the connection at least every second: service and /ready are back within 2 s.
const RECOVERY_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis killed (SIGKILL) and restarted with AOF under a mixed load', () => {
  let redis: RedisServer | undefined;
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill();
    await redis?.stop();
  });

  it('answers 503 + Retry-After while Redis is gone, /ready follows Redis, nothing acknowledged is lost', async () => {
    // fsync on every write: what Redis acknowledged is on disk before the service answers 2xx.
    redis = await startRedisServer({ appendOnly: true });
    service = await startServiceProcess({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), LOG_LEVEL: 'warn' });
    const pid = service.child.pid;
    const load = new MixedLoad(service.url, { workers: 6, pauseMs: 5 });
    const ready = probeReadiness(service.url);

    const began = performance.now();
    load.start();
    await sleep(KILL_AT_MS);
    const killed = performance.now();
    await redis.halt('SIGKILL');
    await sleep(DOWN_MS);
    const restarting = performance.now();
    await redis.restart();
    const restarted = performance.now();
    await sleep(AFTER_MS);
    await load.stop();
    await ready.stop();
    const ended = performance.now();

    // While Redis is down every request is a quick 503 (sent early enough that a quick answer comes before the restart) problem with Retry-After.
    const whileDown = load.records.filter((r) => r.start >= killed + 50 && r.start < restarting - COMMAND_TIMEOUT_MS - MARGIN_MS);
    expect(whileDown.length).toBeGreaterThan(20);
    expectQuick503s(whileDown, COMMAND_TIMEOUT_MS + MARGIN_MS);
    // /ready follows: 200 before, 503 while down (after a probe's worth of delay), 200 again soon after.
    const samples = ready.samples;
    expect(samples.filter((s) => s.answeredAt < killed && s.status !== 200)).toEqual([]);
    const downSamples = samples.filter((s) => s.at >= killed + 200 && s.answeredAt < restarting);
    expect(downSamples.length).toBeGreaterThan(5);
    expect(downSamples.every((s) => s.status === 503)).toBe(true);
    const backAt = samples.find((s) => s.at >= restarted && s.status === 200)?.at ?? Infinity;
    expect(backAt - restarted).toBeLessThan(RECOVERY_MS);
    expect(samples.filter((s) => s.at > backAt).every((s) => s.status === 200)).toBe(true);
    // Requests recover with readiness, within 2 s, without restarting the service.
    const firstSuccess = firstSuccessAfter(load.records, restarted);
    expect(firstSuccess - restarted).toBeLessThan(RECOVERY_MS);
    const afterRecovery = load.records.filter((r) => r.start >= Math.max(backAt, firstSuccess));
    expect(afterRecovery.length).toBeGreaterThan(100);
    expect(afterRecovery.filter((r) => r.status === 503 || r.status === 'error')).toEqual([]);
    expect(service.child.exitCode).toBeNull();
    expect(service.child.pid).toBe(pid);

    expect(load.anomalies).toEqual([]);
    const audit = await auditSessions(service.url, load);
    expectNothingLost(audit);

    reportFigure('redis SIGKILL + AOF restart', {
      requests: load.records.length,
      before: answersBetween(load.records, began, killed),
      whileDown: answersBetween(load.records, killed, restarted),
      afterRestart: answersBetween(load.records, restarted, ended),
      redisDownMs: Math.round(restarted - killed),
      readyBackAfterRestartMs: Math.round(backAt - restarted),
      firstSuccessAfterRestartMs: Math.round(firstSuccess - restarted),
      readyWhileDown: Object.fromEntries(
        ['200', '503', 'error'].map((k) => [k, samples.filter((s) => s.at >= killed && s.at < restarted && String(s.status) === k).length]),
      ),
      slowest503Ms: Math.round(Math.max(...whileDown.map((r) => r.end - r.start))),
      unknownCreates: load.unknownCreates,
      sessionsChecked: audit.checked,
      sessionsListed: audit.listed,
      sessionsLost: audit.lost.length,
    });
  });
});
