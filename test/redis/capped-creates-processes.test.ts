import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { raceUserCreates, userSessionCount } from '../support/racing-user-creates.js';
import { startServiceProcesses, type ServiceProcess } from '../support/service-process.js';

// The cap across service processes: 3 processes on one Redis, 50 creates for one user in flight
// at once, SESSION_MAX_PER_USER=5. Every create answers 201, and exactly 5 sessions are left.
const PROCESSES = 3;
const CREATES = 50;
const MAX = 5;
let redis: RedisServer;
let services: ServiceProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const env = { SESSION_STORE: 'redis', REDIS_URL: redis.url, SESSION_MAX_PER_USER: String(MAX), LOG_LEVEL: 'silent' };
  await startServiceProcesses(env, PROCESSES, services);
}, 150_000);
afterAll(async () => {
  await Promise.all(services.map((service) => service.kill()));
  await redis?.stop();
});

test(`${CREATES} creates for one user in flight over ${PROCESSES} processes leave ${MAX} sessions`, async () => {
  const answers = await raceUserCreates(services, CREATES, 'racer');
  expect(answers.map((answer) => answer.status)).toEqual(Array(CREATES).fill(201));
  const evicted = answers.flatMap((answer) => answer.body.evicted);
  expect(new Set(evicted).size).toBe(CREATES - MAX);
  const count = await userSessionCount(services[0]!, 'racer');
  console.log(`creates in flight ${CREATES}, processes ${PROCESSES}, cap ${MAX}: sessions left ${count}, evicted ${evicted.length}`);
  expect(count).toBe(MAX);
}, 60_000);
