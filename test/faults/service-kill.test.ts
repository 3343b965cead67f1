import { afterAll, describe, expect, it } from 'vitest';
import { createSessionTable } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { createTestClient, startDynalite, uniqueTableName } from '../support/dynalite-server.js';
import { startRedisServer } from '../support/redis-server.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { answersBetween, reportFigure } from './fault-figures.js';
import { MixedLoad } from './mixed-load.js';
import { auditSessions, expectNothingLost } from './session-audit.js';

const LOAD_BEFORE_MS = 4_000;
const DEAD_MS = 1_000;
const LOAD_AFTER_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store the service can be pointed at, and how to let it go. */
interface StoreUnderTest {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

const stores: Record<string, () => Promise<StoreUnderTest>> = {
  redis: async () => {
    const redis = await startRedisServer();
    return { env: { REDIS_URL: redis.url }, stop: () => redis.stop() };
  },
  dynamodb: async () => {
    const dynamo = await startDynalite();
    const tableName = uniqueTableName();
    const admin = createTestClient(dynamo.endpoint);
    await createSessionTable(admin, tableName);
    closeDynamoDocumentClient(admin);
    return {
      env: {
        SESSION_STORE: 'dynamodb',
        DYNAMODB_TABLE_NAME: tableName,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      stop: () => dynamo.close(),
    };
  },
};

describe.each(Object.keys(stores))('the service killed with SIGKILL mid-load and started again, on %s', (storeName) => {
  let store: StoreUnderTest | undefined;
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill();
    await store?.stop();
  });

  it('leaves every session whole: readable as acknowledged, and no listing shows one a read does not', async () => {
    store = await stores[storeName]!();
    const env = { ...store.env, LOG_LEVEL: 'warn' };
    service = await startServiceProcess(env);
    const port = service.port;
    const load = new MixedLoad(service.url, { workers: 8, pauseMs: 2 });

    const began = performance.now();
    load.start();
    await sleep(LOAD_BEFORE_MS);
    const killed = performance.now();
    await service.kill();
    const dead = performance.now();
    await sleep(DEAD_MS);
    const restarting = performance.now();
    service = await startServiceProcess(env, port);
    const restarted = performance.now();
    await sleep(LOAD_AFTER_MS);
    await load.stop();
    const ended = performance.now();

    // The requests cut off by the kill are the ones in doubt; the load read each back before
    // writing it again, and found it in a state it may be in (or the audit below will not).
    const cutOff = load.records.filter((r) => r.start < dead && r.end >= killed && r.status === 'error');
    expect(load.anomalies).toEqual([]);
    const audit = await auditSessions(service.url, load);
    expectNothingLost(audit);
    expect(audit.checked).toBeGreaterThan(100);

    reportFigure(`service SIGKILL mid-load (${storeName})`, {
      requests: load.records.length,
      before: answersBetween(load.records, began, killed),
      inFlightAtKill: cutOff.length,
      whileDead: answersBetween(load.records, dead, restarting),
      afterRestart: answersBetween(load.records, restarted, ended),
      unknownCreates: load.unknownCreates,
      sessionsChecked: audit.checked,
      sessionsListed: audit.listed,
      sessionsLost: audit.lost.length,
    });
  });
});
