import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type DynaliteServer } from '../support/dynalite-server.js';
import { redisCli, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { freePort } from '../support/service-process.js';

// Every way the built bin starts, fails and stops, with secrets in every setting that can hold
// one, at LOG_LEVEL=trace: none of them may appear in anything the process writes.
const bin = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
const REDIS_PASSWORD_DECODED = 'redis-pw@s3cret-41';
const REDIS_PASSWORD = encodeURIComponent(REDIS_PASSWORD_DECODED);
const API_TOKEN = 'api-token-secret-5d1e9b7c';
const AWS_SECRET = 'aws-secret-access-key-Zq81xP';
const AWS_SESSION_TOKEN = 'aws-session-token-Jk42mW';
const ENDPOINT_PASSWORD = 'endpoint-pw-secret-73';
const WEBHOOK_KEY = randomBytes(32).toString('base64');
const WEBHOOK_SECRET = `whsec_${WEBHOOK_KEY}`;
const HOOK_PASSWORD = 'hook-pw-secret-88';
const HOOK_QUERY_TOKEN = 'hook-query-token-secret-19';
const SECRETS = [REDIS_PASSWORD, REDIS_PASSWORD_DECODED, API_TOKEN, AWS_SECRET, AWS_SESSION_TOKEN, ENDPOINT_PASSWORD, WEBHOOK_KEY, HOOK_PASSWORD, HOOK_QUERY_TOKEN];
const SECRET_ENV = {
  LOG_LEVEL: 'trace',
  API_TOKENS: API_TOKEN,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: AWS_SECRET,
  AWS_SESSION_TOKEN,
  SHUTDOWN_DELAY_MS: '0',
  STORE_STARTUP_WAIT_MS: '500',
  HOST: '127.0.0.1',
};

interface Run {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs the bin with `env`. With `port`, waits for its start-up line, sends one authorised
 * request and then SIGTERM; without, waits for it to exit by itself.
 */
async function runBin(env: Record<string, string>, options: { port?: number; args?: string[] } = {}): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', ...SECRET_ENV, ...(options.port === undefined ? {} : { PORT: String(options.port) }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  if (options.port !== undefined) {
    const until = Date.now() + 20_000;
    while (!output.includes('listening on') && child.exitCode === null) {
      if (Date.now() > until) throw new Error(`no start-up line: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const base = `http://127.0.0.1:${options.port}`;
    await fetch(`${base}/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'secrets', data: {} }),
    });
    await fetch(`${base}/ready`);
    child.kill('SIGTERM');
  }
  const [code] = (await exited) as [number | null];
  return { code, output };
}

function expectNoSecret(run: Run): void {
  for (const secret of SECRETS) expect(run.output, `the output contains ${secret}:\n${run.output}`).not.toContain(secret);
}

describe('no secret in any line the bin writes', () => {
  let redis: RedisServer;
  let dynalite: DynaliteServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    await redisCli(redis.port, 'CONFIG', 'SET', 'requirepass', REDIS_PASSWORD_DECODED);
    dynalite = await startDynalite();
  });
  afterAll(async () => {
    await redis?.stop();
    await dynalite?.close();
  });

  it.each([
    ['a REDIS_URL the rule refuses', 'redis://user:' + REDIS_PASSWORD + '@127.0.0.1:6390/x y'],
    ['a REDIS_URL ioredis would throw on', 'redis://:' + REDIS_PASSWORD + '@127.0.0.1:99999'],
    ['a REDIS_URL with a password that does not decode', 'redis://:' + REDIS_PASSWORD + '%zz@127.0.0.1:6390'],
    ['a REDIS_URL without a host', 'redis://:' + REDIS_PASSWORD + '@'],
  ])('%s: one line, exit 2', async (_what, url) => {
    const run = await runBin({ REDIS_URL: url, PORT: '0' });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/^session-api: REDIS_URL="[^"]*\*\*\*[^"]*" is not valid/);
    expectNoSecret(run);
  });

  it('a Redis that is unreachable: waits, warns, serves, drains', async () => {
    const dead = await freePort();
    const run = await runBin({ REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${dead}` }, { port: await freePort() });
    expect(run.code).toBe(0);
    expect(run.output).toContain('not answering after 500 ms');
    expectNoSecret(run);
  });

  it('a healthy Redis with the right password, and one with a wrong password', async () => {
    const good = await runBin({ REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}` }, { port: await freePort() });
    expect(good.code).toBe(0);
    expect(good.output).toContain(`redis at redis://:***@127.0.0.1:${redis.port}`);
    expectNoSecret(good);
    const wrong = await runBin({ REDIS_URL: `redis://:${REDIS_PASSWORD}x@127.0.0.1:${redis.port}` }, { port: await freePort() });
    expect(wrong.code).toBe(0);
    expectNoSecret(wrong);
  });

  it('DynamoDB: an endpoint with credentials in its URL, unreachable and reachable; create-table failing', async () => {
    const dead = await freePort();
    const table = { DYNAMODB_TABLE_NAME: 'secret-sessions', AWS_REGION: 'us-east-1' };
    const unreachable = await runBin({ ...table, DYNAMODB_ENDPOINT: `http://u:${ENDPOINT_PASSWORD}@127.0.0.1:${dead}` }, { port: await freePort() });
    expect(unreachable.code).toBe(0);
    expectNoSecret(unreachable);
    const reachable = await runBin({ ...table, DYNAMODB_ENDPOINT: dynalite.endpoint }, { port: await freePort() });
    expect(reachable.code).toBe(0);
    expectNoSecret(reachable);
    const create = await runBin({ ...table, DYNAMODB_ENDPOINT: `http://u:${ENDPOINT_PASSWORD}@127.0.0.1:${dead}` }, { args: ['create-table'] });
    expect(create.code).toBe(1);
    expectNoSecret(create);
  });

  it('webhooks: a receiver with credentials in its URL that fails every delivery, at trace, then a drain', async () => {
    let attempts = 0;
    const receiver: Server = createServer((req, res) => {
      attempts++;
      req.resume();
      res.statusCode = 500;
      res.end('receiver says no');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://hook-user:${HOOK_PASSWORD}@127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=${HOOK_QUERY_TOKEN}`;
    const dead = `http://u:${HOOK_PASSWORD}@127.0.0.1:${await freePort()}/down?token=${HOOK_QUERY_TOKEN}`;
    const port = await freePort();
    const child = spawn(process.execPath, [bin], {
      env: { PATH: process.env.PATH ?? '', ...SECRET_ENV, PORT: String(port), EVENTS_ENABLED: 'true', WEBHOOK_URLS: `${hook},${dead}`, WEBHOOK_SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = once(child, 'exit');
    try {
      const until = Date.now() + 30_000;
      while (!output.includes('listening on')) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no start-up line: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const created = await fetch(`http://127.0.0.1:${port}/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'hooked', data: {} }),
      });
      expect(created.status).toBe(201);
      // Two refused attempts: at least one failure has been logged with the receiver named.
      while (attempts < 2) {
        if (Date.now() > until) throw new Error(`the receiver got ${attempts} attempts: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      receiver.closeAllConnections();
      receiver.close();
    }
    // The failures were logged, naming the receivers by origin and a digest of path and query.
    expect(output).toContain('webhook attempt failed');
    expect(output).toMatch(/"receiver":"http:\/\/127\.0\.0\.1:\d+\/…[0-9a-f]{16}"/);
    expectNoSecret({ code: 0, output });
  });

  it('events settings that are refused: one line each, exit 2, no secret', async () => {
    const hook = `https://u:${HOOK_PASSWORD}@hooks.example/in?token=${HOOK_QUERY_TOKEN}`;
    const runs = [
      await runBin({ PORT: '0', WEBHOOK_URLS: hook, WEBHOOK_SECRET }),
      await runBin({ PORT: '0', EVENTS_ENABLED: 'true', WEBHOOK_URLS: hook }),
      await runBin({ PORT: '0', EVENTS_ENABLED: 'true', WEBHOOK_URLS: hook, WEBHOOK_SECRET: `${WEBHOOK_SECRET.slice(0, 30)}` }),
      await runBin({ PORT: '0', EVENTS_ENABLED: 'true', WEBHOOK_URLS: `${hook},ftp://u:${HOOK_PASSWORD}@x/?token=${HOOK_QUERY_TOKEN}`, WEBHOOK_SECRET }),
    ];
    expect(runs.map((run) => /^session-api: ([A-Z_]+)=/.exec(run.output)?.[1])).toEqual(['WEBHOOK_URLS', 'WEBHOOK_SECRET', 'WEBHOOK_SECRET', 'WEBHOOK_URLS']);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.output.trim().split('\n')).toHaveLength(1);
      expectNoSecret(run);
      expect(run.output).not.toContain(WEBHOOK_SECRET.slice(0, 30));
    }
  });

  it('a port in use, a short API token, a bad setting next to the secrets', async () => {
    const runs = [
      await runBin({ PORT: String(redis.port), REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}` }),
      await runBin({ PORT: '0', API_TOKENS: `${API_TOKEN},short-${AWS_SECRET.slice(0, 4)}` }),
      await runBin({ PORT: '0', SESSION_TTL_HOURS: '0.0000001', REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}` }),
    ];
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.output.trim().split('\n')).toHaveLength(1);
      expectNoSecret(run);
    }
  });
});
