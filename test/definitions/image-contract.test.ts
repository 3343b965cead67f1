import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionTableLayout } from '../../adapters/dynamodb/table-layout.js';
import { installPackages, npmInstallFlags, packProject } from '../support/packed-package.js';

/**
 * The image contract without Docker: what the image runs must start from a production-only
 * install and answer its probes. Two installs are checked: the published package (npm pack,
 * installed with --omit=dev, started through its `session-api` bin), and the Dockerfile's
 * runtime stage rebuilt in a directory (same promote-drivers script, same npm install), which
 * must also reach Redis and DynamoDB through the drivers it promotes.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

let work: string;
const started: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Running {
  readonly child: ChildProcess;
  readonly base: string;
  readonly output: () => string;
}

/** Start the service and wait (bounded) until it answers GET /health. */
async function start(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), API_TOKENS: 'contract-token-0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  let failed: Error | undefined;
  child.on('error', (error) => (failed = error));
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (failed !== undefined) throw new Error(`the service did not start: ${failed.message}`);
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${output}`);
    const answered = await fetch(`${base}/health`).then((r) => r.status, () => 0);
    if (answered !== 0) return { child, base, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service did not listen on ${port} within 20 s:\n${output}`);
}

/** SIGTERM, then the exit code (the service drains and exits on its own). */
async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'image-contract-'));
});
afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

describe('the published package, installed with --omit=dev', () => {
  let installed: string;

  beforeAll(async () => {
    installed = join(work, 'installed');
    await installPackages(installed, [await packProject(work)], { omitDev: true });
  }, 240_000);

  it('starts the session-api bin, answers GET /health with 200 and exits 0 on SIGTERM', async () => {
    const service = await start(join(installed, 'node_modules', '.bin', 'session-api'), [], installed, { SESSION_STORE: 'memory' });
    const health = await fetch(`${service.base}/health`);
    expect(health.status, service.output()).toBe(200);
    expect(await stop(service.child), service.output()).toBe(0);
  });

  it('carries no development tooling', async () => {
    const modules = await readdir(join(installed, 'node_modules'));
    for (const devOnly of ['vitest', 'typescript', 'dynalite', 'fast-check']) expect(modules).not.toContain(devOnly);
  });
});

describe("the Dockerfile's runtime stage, rebuilt without Docker", () => {
  let image: string;

  beforeAll(async () => {
    image = join(work, 'image');
    await mkdir(image);
    for (const file of ['package.json', 'package-lock.json']) await cp(join(root, file), join(image, file));
    await run('node', [join(root, 'definitions', 'image', 'promote-drivers.mjs')], { cwd: image });
    // As the Dockerfile does: npm ci, which installs the lockfile's tree or refuses.
    await run('npm', ['ci', '--omit=dev', ...npmInstallFlags], { cwd: image });
    // `npm run build` is the build stage.
    await run('npm', ['run', 'build'], { cwd: root });
    await cp(join(root, 'dist'), join(image, 'dist'), { recursive: true });
  }, 240_000);

  it('has the storage drivers and no development tooling', async () => {
    const modules = await readdir(join(image, 'node_modules'));
    expect(modules).toContain('ioredis');
    expect(await readdir(join(image, 'node_modules', '@aws-sdk'))).toEqual(expect.arrayContaining(['client-dynamodb', 'lib-dynamodb']));
    for (const devOnly of ['vitest', 'typescript', 'dynalite', 'fast-check']) expect(modules).not.toContain(devOnly);
  });

  it('serves from DynamoDB: GET /health and GET /ready answer 200', async () => {
    const dynalite = createRequire(import.meta.url)('dynalite') as (options: object) => Server;
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${port}`;
      const credentials = { accessKeyId: 'contract', secretAccessKey: 'contract' };
      const client = new DynamoDBClient({ endpoint, region: 'us-west-2', credentials });
      await client.send(
        new CreateTableCommand({
          TableName: 'contract-sessions',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: sessionTableLayout.attributeDefinitions.map((a) => ({ ...a })),
          KeySchema: sessionTableLayout.keySchema.map((k) => ({ ...k })),
        }),
      );
      client.destroy();
      const service = await start('node', ['dist/server/main.js'], image, {
        SESSION_STORE: 'dynamodb',
        DYNAMODB_TABLE_NAME: 'contract-sessions',
        DYNAMODB_ENDPOINT: endpoint,
        AWS_REGION: 'us-west-2',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      });
      expect((await fetch(`${service.base}/health`)).status, service.output()).toBe(200);
      expect((await fetch(`${service.base}/ready`)).status, service.output()).toBe(200);
      expect(await stop(service.child), service.output()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('serves from Redis: GET /health and GET /ready answer 200', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    redis.on('error', () => undefined);
    started.push(redis);
    try {
      const service = await start('node', ['dist/server/main.js'], image, {
        SESSION_STORE: 'redis',
        REDIS_URL: `redis://127.0.0.1:${port}`,
      });
      const deadline = Date.now() + 10_000;
      let ready = 0;
      // redis-server may still be starting; the service's readiness follows it.
      while (ready !== 200 && Date.now() < deadline) {
        ready = (await fetch(`${service.base}/ready`)).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready, service.output()).toBe(200);
      expect(await stop(service.child), service.output()).toBe(0);
    } finally {
      await stop(redis);
    }
  });
});
