import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { child, out: () => stdout, err: () => stderr };
}

// A node process loading the AWS SDK on two loaded cores can take many seconds to listen.
async function waitFor(url: string, deadlineMs = 30_000): Promise<Response> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('the session-api bin (built)', () => {
  it('serves, turns not-ready on SIGTERM, finishes and exits 0', async () => {
    const port = await freePort();
    const proc = run({ PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '300' });
    try {
      expect((await waitFor(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const created = await fetch(`http://127.0.0.1:${port}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'start-up', data: { secret: 'do-not-log-me' } }),
      });
      expect(created.status).toBe(201);
      const { id, token } = (await created.json()) as { id: string; token: string };
      proc.child.kill('SIGTERM');
      // The signal lands asynchronously: poll until /ready reports draining (the listener stays
      // open for SHUTDOWN_DELAY_MS precisely so that probes can see this).
      let ready = 200;
      for (let tries = 0; tries < 100 && ready === 200; tries++) ready = (await fetch(`http://127.0.0.1:${port}/ready`)).status;
      expect(ready).toBe(503);
      const [code] = await once(proc.child, 'exit');
      expect(code).toBe(0);
      const lines = proc.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.filter((line) => String(line.msg).includes(' listening on '))).toEqual([
        expect.objectContaining({ msg: `session-api ${version} listening on http://127.0.0.1:${port}, sessions in memory (this process)` }),
      ]);
      expect(lines.some((line) => line.msg === 'stopped')).toBe(true);
      // The token is the credential; the handle is logged only hashed.
      expect(proc.out()).not.toContain(token.slice(5));
      expect(proc.out()).not.toContain(id);
      expect(proc.out()).not.toContain('do-not-log-me');
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it('refuses a bad setting with one line naming it and exit code 2', async () => {
    const proc = run({ SESSION_TTL_HOURS: 'soon' });
    const [code] = await once(proc.child, 'exit');
    expect(code).toBe(2);
    expect(proc.err().trim().split('\n')).toHaveLength(1);
    expect(proc.err()).toMatch(/^session-api: SESSION_TTL_HOURS="soon" is not valid/);
  });
});

describe('the session-api bin: create-table, then serve from DynamoDB', () => {
  it('creates the table once, says so in one line, and the service is then ready on it', async () => {
    const { startDynalite, testCredentials } = await import('../support/dynalite-server.js');
    const dynalite = await startDynalite();
    const env = {
      DYNAMODB_TABLE_NAME: 'bin-sessions',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynalite.endpoint,
      AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    };
    const port = await freePort();
    const server = run({ ...env, PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0' });
    try {
      const create = spawn(process.execPath, [bin, 'create-table'], { env: { PATH: process.env.PATH ?? '', ...env } });
      let out = '';
      create.stdout.on('data', (chunk) => (out += chunk));
      const [code] = await once(create, 'exit');
      expect(code).toBe(0);
      expect(out.trim().split('\n')).toEqual([
        `session-api create-table: table bin-sessions created at ${dynalite.endpoint}, TTL not supported by this endpoint`,
      ]);
      await waitFor(`http://127.0.0.1:${port}/health`);
      let ready = 0;
      for (let tries = 0; tries < 100 && ready !== 200; tries++) {
        ready = (await fetch(`http://127.0.0.1:${port}/ready`)).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready).toBe(200);
    } finally {
      server.child.kill('SIGKILL');
      await dynalite.close();
    }
  });

  it('refuses an unknown command with exit code 2', async () => {
    const child = spawn(process.execPath, [bin, 'serve-please'], { env: { PATH: process.env.PATH ?? '' } });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toMatch(/^session-api: unknown command "serve-please"/);
  });
});

/** Runs the bin to its exit with only `env` (and PATH), and collects what it wrote. */
async function runToExit(env: Record<string, string>, args: string[] = [], binPath = bin) {
  const child = spawn(process.execPath, [binPath, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Polls `path` on `port` until it answers `status`. */
async function waitForStatus(port: number, path: string, status: number): Promise<void> {
  const until = Date.now() + 15_000;
  for (;;) {
    const got = await fetch(`http://127.0.0.1:${port}${path}`).then((response) => response.status, () => 0);
    if (got === status) return;
    if (Date.now() > until) throw new Error(`${path} answered ${got}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A copy of the built package laid out as an install without the optional packages: dist/ and
 * package.json copied, and every installed package linked in except ioredis, the AWS SDK and
 * pino-pretty. Node resolves our imports from the copy, so they miss exactly those packages.
 */
async function installWithout(): Promise<{ dir: string; bin: string; remove(): Promise<void> }> {
  const { cp, mkdtemp, mkdir, readdir, rm, symlink } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = await mkdtemp(join(tmpdir(), 'session-api-bare-'));
  await cp(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  await cp(join(root, 'package.json'), join(dir, 'package.json'));
  await mkdir(join(dir, 'node_modules'));
  const absent = new Set(['ioredis', '@aws-sdk', 'pino-pretty', '.bin']);
  for (const name of await readdir(join(root, 'node_modules'))) {
    if (!absent.has(name)) await symlink(join(root, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return { dir, bin: join(dir, 'dist/server/main.js'), remove: () => rm(dir, { recursive: true, force: true }) };
}

describe('the session-api bin: start-up lines', () => {
  it('on a healthy Redis waits for it, then logs one line: version, store without its password, address', async () => {
    const { redisCli, startRedisServer } = await import('../support/redis-server.js');
    const password = 'start-up-redis-pass-81';
    const redis = await startRedisServer();
    // Set after start: the helper checks the server with a PING that has no password.
    await redisCli(redis.port, 'CONFIG', 'SET', 'requirepass', password);
    const port = await freePort();
    const proc = run({ PORT: String(port), HOST: '127.0.0.1', REDIS_URL: `redis://:${password}@127.0.0.1:${redis.port}`, SHUTDOWN_DELAY_MS: '0' });
    try {
      await waitForStatus(port, '/ready', 200);
      proc.child.kill('SIGTERM');
      expect((await once(proc.child, 'exit'))[0]).toBe(0);
      const lines = proc.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.filter((line) => (line.level as number) >= 40).map((line) => line.msg)).toEqual([
        'API_TOKENS is not set: the /sessions API is open to anyone who can reach it',
      ]);
      expect(lines.filter((line) => String(line.msg).includes('listening'))).toEqual([
        expect.objectContaining({
          version,
          store: 'redis',
          msg: `session-api ${version} listening on http://127.0.0.1:${port}, sessions in redis at redis://:***@127.0.0.1:${redis.port}`,
        }),
      ]);
      expect(proc.out()).not.toContain('stack');
      expect(proc.out() + proc.err()).not.toContain(password);
    } finally {
      proc.child.kill('SIGKILL');
      await redis.stop();
    }
  });

  it('on a Redis that is away waits STORE_STARTUP_WAIT_MS, says so in one line without a stack, and serves', async () => {
    const port = await freePort();
    const deadPort = await freePort();
    const proc = run({ PORT: String(port), HOST: '127.0.0.1', REDIS_URL: `redis://127.0.0.1:${deadPort}`, STORE_STARTUP_WAIT_MS: '300', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: '0' });
    try {
      await waitForStatus(port, '/health', 200);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(503);
      const until = Date.now() + 10_000;
      while (!proc.out().includes('listening on') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      const lines = proc.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const waited = lines.filter((line) => String(line.msg).startsWith('session store'));
      expect(waited).toEqual([
        expect.objectContaining({ level: 40, msg: expect.stringMatching(new RegExp(`^session store redis at redis://127\\.0\\.0\\.1:${deadPort} not answering after 300 ms`)) }),
      ]);
      expect(JSON.stringify(waited)).not.toContain('stack');
    } finally {
      proc.child.kill('SIGKILL');
    }
  });

  it.each([
    ['a port in use', (port: number) => ({ PORT: String(port), HOST: '127.0.0.1' }), /^session-api: cannot listen on 127\.0\.0\.1 port \d+: the port is already in use \(PORT\)$/],
    ['a HOST that does not resolve', () => ({ PORT: '0', HOST: 'no-such-host.invalid' }), /^session-api: cannot listen on no-such-host\.invalid port 0: the host name does not resolve \(HOST\)$/],
    ['a HOST that is not this machine', () => ({ PORT: '0', HOST: '192.0.2.1' }), /^session-api: cannot listen on 192\.0\.2\.1 port 0: the address is not one of this machine's \(HOST\)$/],
    ['an unparsable REDIS_URL', () => ({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:notaport' }), /^session-api: REDIS_URL="redis:\/\/127\.0\.0\.1:notaport" is not valid/],
    ['a session lifetime that rounds to nothing', () => ({ PORT: '0', SESSION_TTL_HOURS: '0.0000001' }), /^session-api: SESSION_TTL_HOURS="0\.0000001" is not valid: .*at least 1 second/],
  ])('refuses %s with one line and exit code 2', async (_what, env, line) => {
    const { createServer: createTcpServer } = await import('node:net');
    const taken = createTcpServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const result = await runToExit(env((taken.address() as { port: number }).port));
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(line);
    } finally {
      taken.close();
    }
  });
});

describe('the session-api bin: --help and --version', () => {
  it('--help lists the commands and every setting with its default, from the declarations loadConfig reads', async () => {
    const { SETTINGS } = await import('../../server/config.js');
    const result = await runToExit({}, ['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'create-table', '--help', '--version']) expect(result.stdout).toMatch(new RegExp(`^  ${command}`, 'm'));
    for (const setting of Object.values(SETTINGS)) {
      expect(result.stdout).toMatch(new RegExp(`^  ${setting.name} +${(setting.defaultText ?? '(unset)').replace(/[().]/g, '\\$&')} +\\S`, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    expect(await runToExit({}, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('the README documents every setting with the same default', async () => {
    const { SETTINGS } = await import('../../server/config.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const setting of Object.values(SETTINGS)) {
      expect(readme).toContain(`| \`${setting.name}\` | ${setting.defaultText === undefined ? 'unset' : `\`${setting.defaultText}\``} |`);
    }
  });
});

describe('the session-api bin installed without its optional packages', () => {
  it.each([
    ['SESSION_STORE=redis', { SESSION_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6399' }, [], 'session-api: the Redis store needs ioredis, which is not installed: npm i ioredis'],
    ['the DynamoDB store', { DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'us-east-1' }, [], 'session-api: the DynamoDB store and create-table need the AWS SDK, which is not installed: npm i @aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb'],
    ['create-table', { DYNAMODB_TABLE_NAME: 'sessions', AWS_REGION: 'us-east-1' }, ['create-table'], 'session-api: create-table: the DynamoDB store and create-table need the AWS SDK, which is not installed: npm i @aws-sdk/client-dynamodb @aws-sdk/lib-dynamodb'],
    ['LOG_FORMAT=pretty', { LOG_FORMAT: 'pretty' }, [], 'session-api: LOG_FORMAT=pretty needs pino-pretty, which is not installed: npm i pino-pretty'],
  ])('%s says in one line what to install, exit code 2', async (_what, env, args, line) => {
    const bare = await installWithout();
    try {
      const result = await runToExit({ PORT: '0', HOST: '127.0.0.1', ...env }, args, bare.bin);
      expect(result).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    } finally {
      await bare.remove();
    }
  });

  it('still serves from memory', async () => {
    const bare = await installWithout();
    const port = await freePort();
    const child = spawn(process.execPath, [bare.bin], { env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1' }, stdio: 'ignore' });
    try {
      await waitForStatus(port, '/ready', 200);
    } finally {
      child.kill('SIGKILL');
      await bare.remove();
    }
  });
});

describe('the session-api bin: logs for people', () => {
  const readable = (output: string, port: number) => {
    expect(output).not.toContain('{"level"');
    expect(output).toMatch(new RegExp(`INFO.*session-api ${version.replace(/\./g, '\\.')} listening on http://127\\.0\\.0\\.1:${port}`));
    expect(output).toMatch(/INFO.*shutting down/);
  };

  it('LOG_FORMAT=pretty writes pino-pretty lines', async () => {
    const port = await freePort();
    const proc = run({ PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'pretty', SHUTDOWN_DELAY_MS: '0' });
    await waitForStatus(port, '/health', 200);
    proc.child.kill('SIGTERM');
    expect((await once(proc.child, 'exit'))[0]).toBe(0);
    readable(proc.out(), port);
  });

  it('the JSON lines piped to pino-pretty read the same', async () => {
    const port = await freePort();
    const proc = run({ PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '0' });
    await waitForStatus(port, '/health', 200);
    proc.child.kill('SIGTERM');
    await once(proc.child, 'exit');
    const prettyBin = fileURLToPath(new URL('../../node_modules/pino-pretty/bin.js', import.meta.url));
    const pretty = spawn(process.execPath, [prettyBin], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    pretty.stdout.on('data', (chunk) => (out += chunk));
    pretty.stdin.end(proc.out());
    expect((await once(pretty, 'exit'))[0]).toBe(0);
    readable(out, port);
  });
});
