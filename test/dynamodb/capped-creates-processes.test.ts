import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSessionTable } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { createTestClient, startDynalite, uniqueTableName, type DynaliteServer } from '../support/dynalite-server.js';
import { raceUserCreates, userSessionCount } from '../support/racing-user-creates.js';
import { startServiceProcesses, type ServiceProcess } from '../support/service-process.js';

// The cap across service processes on DynamoDB, as test/redis/capped-creates-processes.test.ts on
// Redis: 3 processes on one dynalite and table, 30 creates for one user in flight at once,
// SESSION_MAX_PER_USER=5 (evict-oldest). Every create answers 201, and exactly 5 sessions are left.
const PROCESSES = 3;
const CREATES = 30;
const MAX = 5;
let dynalite: DynaliteServer;
let services: ServiceProcess[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
  const tableName = uniqueTableName();
  const admin = createTestClient(dynalite.endpoint);
  await createSessionTable(admin, tableName);
  closeDynamoDocumentClient(admin);
  const env = {
    SESSION_STORE: 'dynamodb',
    DYNAMODB_TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    SESSION_MAX_PER_USER: String(MAX),
    LOG_LEVEL: 'silent',
  };
  await startServiceProcesses(env, PROCESSES, services);
}, 150_000);
afterAll(async () => {
  await Promise.all(services.map((service) => service.kill()));
  await dynalite?.close();
});

test(`${CREATES} creates for one user in flight over ${PROCESSES} processes leave ${MAX} sessions`, async () => {
  const started = performance.now();
  const answers = await raceUserCreates(services, CREATES, 'racer');
  const elapsed = Math.round(performance.now() - started);
  expect(answers.map((answer) => answer.status)).toEqual(Array(CREATES).fill(201));
  const evicted = answers.flatMap((answer) => answer.body.evicted);
  expect(new Set(evicted).size).toBe(CREATES - MAX);
  expect(evicted).toHaveLength(CREATES - MAX);
  const count = await userSessionCount(services[0]!, 'racer');
  console.log(`creates in flight ${CREATES}, processes ${PROCESSES}, cap ${MAX}: sessions left ${count}, evicted ${evicted.length}, ${elapsed} ms`);
  expect(count).toBe(MAX);
  for (const id of evicted.slice(0, 5)) expect((await fetch(`${services[1]!.url}/sessions/${id}`)).status).toBe(404);
}, 120_000);
