import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

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
      const { id } = (await created.json()) as { id: string };
      proc.child.kill('SIGTERM');
      // The signal lands asynchronously: poll until /ready reports draining (the listener stays
      // open for SHUTDOWN_DELAY_MS precisely so that probes can see this).
      let ready = 200;
      for (let tries = 0; tries < 100 && ready === 200; tries++) ready = (await fetch(`http://127.0.0.1:${port}/ready`)).status;
      expect(ready).toBe(503);
      const [code] = await once(proc.child, 'exit');
      expect(code).toBe(0);
      const lines = proc.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.some((line) => line.msg === 'listening')).toBe(true);
      expect(lines.some((line) => line.msg === 'stopped')).toBe(true);
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
