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

async function waitFor(url: string, deadlineMs = 10_000): Promise<Response> {
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
