import { afterAll, describe, expect, it } from 'vitest';
import { createSessionTable } from '../../adapters/dynamodb/index.js';
import { closeDynamoDocumentClient, DYNAMODB_MAX_ATTEMPTS, DYNAMODB_REQUEST_TIMEOUT_MS } from '../../adapters/dynamodb/create-dynamo-document-client.js';
import { createTestClient, startDynalite, uniqueTableName, type DynaliteServer } from '../support/dynalite-server.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { startTcpGate, type TcpGate } from '../support/tcp-gate.js';
import { answersBetween, reportFigure } from './fault-figures.js';
import { MixedLoad } from './mixed-load.js';
import { expectQuick503s, firstSuccessAfter } from './outage-answers.js';
import { probeReadiness } from './readiness-probe.js';
import { auditSessions, expectNothingLost } from './session-audit.js';

// The longest a store call may take against a dead endpoint: every attempt timed out.
const STORE_TIMEOUT_MS = DYNAMODB_MAX_ATTEMPTS * DYNAMODB_REQUEST_TIMEOUT_MS;
const MARGIN_MS = 750;
const DOWN_AT_MS = 5_000;
const DOWN_MS = 3_000;
const AFTER_MS = 6_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the DynamoDB endpoint unreachable for 3 s under a mixed load', () => {
  let dynamo: DynaliteServer | undefined;
  let gate: TcpGate | undefined;
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill();
    await gate?.close();
    await dynamo?.close();
  });

  it('answers 503 + Retry-After while it is gone, recovers when it returns on the same port, loses nothing', async () => {
    dynamo = await startDynalite();
    // The service reaches DynamoDB through a gate this test shuts and opens: its endpoint.
    gate = await startTcpGate(Number(new URL(dynamo.endpoint).port));
    const endpoint = `http://127.0.0.1:${gate.port}`;
    const tableName = uniqueTableName();
    const admin = createTestClient(dynamo.endpoint);
    await createSessionTable(admin, tableName);
    closeDynamoDocumentClient(admin);
    service = await startServiceProcess({
      SESSION_STORE: 'dynamodb',
      DYNAMODB_TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      LOG_LEVEL: 'warn',
    });
    const pid = service.child.pid;
    const load = new MixedLoad(service.url, { workers: 4, pauseMs: 10 });
    const ready = probeReadiness(service.url);

    const began = performance.now();
    load.start();
    await sleep(DOWN_AT_MS);
    const down = performance.now();
    await gate.shut();
    await sleep(DOWN_MS);
    const returning = performance.now();
    await gate.open();
    const back = performance.now();
    await sleep(AFTER_MS);
    await load.stop();
    await ready.stop();
    const ended = performance.now();

    // A refused connection fails fast: every request sent and answered while it was gone is a 503.
    const whileDown = load.records.filter((r) => r.start >= down + 50 && r.end < returning);
    expect(whileDown.length).toBeGreaterThan(5);
    expectQuick503s(whileDown, STORE_TIMEOUT_MS + MARGIN_MS);
    const downSamples = ready.samples.filter((s) => s.at >= down + 200 && s.answeredAt < returning);
    expect(downSamples.length).toBeGreaterThan(0);
    expect(downSamples.every((s) => s.status === 503)).toBe(true);
    const readyBack = ready.samples.find((s) => s.at >= back && s.status === 200)?.at ?? Infinity;
    expect(readyBack - back).toBeLessThan(3_000);
    const firstSuccess = firstSuccessAfter(load.records, back);
    expect(firstSuccess - back).toBeLessThan(2_000);
    const afterRecovery = load.records.filter((r) => r.start >= back + 2_000);
    expect(afterRecovery.length).toBeGreaterThan(50);
    expect(afterRecovery.filter((r) => r.status === 503 || r.status === 'error')).toEqual([]);
    expect(service.child.exitCode).toBeNull();
    expect(service.child.pid).toBe(pid);

    expect(load.anomalies).toEqual([]);
    const audit = await auditSessions(service.url, load);
    expectNothingLost(audit);

    reportFigure('dynamodb endpoint unreachable 3 s', {
      requests: load.records.length,
      before: answersBetween(load.records, began, down),
      whileDown: answersBetween(load.records, down, back),
      afterReturn: answersBetween(load.records, back, ended),
      firstSuccessAfterReturnMs: Math.round(firstSuccess - back),
      readyBackAfterReturnMs: Math.round(readyBack - back),
      slowest503Ms: Math.round(Math.max(...whileDown.map((r) => r.end - r.start))),
      unknownCreates: load.unknownCreates,
      sessionsChecked: audit.checked,
      sessionsListed: audit.listed,
      sessionsLost: audit.lost.length,
    });
  });
});
