import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/service-process.js';

// What the README tells people to run must drain on SIGTERM and SIGINT sent to the process that
// command starts: `npm start`, and the installed bin through its symlink. Before the start script
// `exec`ed node, npm forwarded the signal to `sh -c`, which died without passing it on, and node
// was left running, and ready, as an orphan.
const root = fileURLToPath(new URL('../../', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the service's node process: `ancestor` itself or one of its descendants. */
async function serviceUnder(ancestor: number): Promise<number> {
  const { stdout } = await import('node:child_process').then(({ execFileSync }) => ({
    stdout: execFileSync('ps', ['-eo', 'pid=,ppid=,args=']).toString(),
  }));
  const rows = stdout
    .trim()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args ?? '' }));
  const family = new Set([ancestor]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) if (family.has(row.ppid) && !family.has(row.pid)) (family.add(row.pid), (grew = true));
  }
  const service = rows.find((row) => family.has(row.pid) && /node .*(main\.js|session-api)/.test(row.args));
  if (service === undefined) throw new Error(`no service process under ${ancestor}`);
  return service.pid;
}

async function waitForStatus(port: number, path: string, status: number): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const got = await fetch(`http://127.0.0.1:${port}${path}`).then((response) => response.status, () => 0);
    if (got === status) return;
    if (Date.now() > until) throw new Error(`${path} answered ${got}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends `signal` to `launcher` and checks the service drained (503 on /ready, "stopped") and nothing outlived it. */
async function expectDrainOn(launcher: ChildProcess, port: number, signal: NodeJS.Signals, output: () => string): Promise<void> {
  await waitForStatus(port, '/ready', 200);
  const service = await serviceUnder(launcher.pid!);
  const exited = once(launcher, 'exit');
  launcher.kill(signal);
  await waitForStatus(port, '/ready', 503);
  const [code] = await exited;
  expect(code, output()).toBe(0);
  expect(output()).toMatch(/"msg":"stopped"/);
  const until = Date.now() + 10_000;
  while (alive(service) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(alive(service), `node ${service} outlived ${launcher.spawnfile}`).toBe(false);
}

function launch(command: string, args: string[], cwd: string, port: number, options: { detached?: boolean } = {}) {
  const child = spawn(command, args, {
    cwd,
    detached: options.detached ?? false,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DELAY_MS: '300' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

describe('the commands the README gives drain on a signal sent to them', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('npm start, sent %s', async (signal) => {
    const port = await freePort();
    const { child, output } = launch('npm', ['start'], root, port);
    try {
      await expectDrainOn(child, port, signal, output);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('the installed bin, node_modules/.bin/session-api, sent %s', async (signal) => {
    // The layout npm install makes: the package, and an executable symlink to its bin.
    const dir = await mkdtemp(join(tmpdir(), 'session-api-bin-'));
    await mkdir(join(dir, 'node_modules/.bin'), { recursive: true });
    await symlink(root, join(dir, 'node_modules/session-api'));
    await symlink('../session-api/dist/server/main.js', join(dir, 'node_modules/.bin/session-api'));
    await chmod(join(root, 'dist/server/main.js'), 0o755);
    const port = await freePort();
    const { child, output } = launch(join(dir, 'node_modules/.bin/session-api'), [], dir, port);
    try {
      await expectDrainOn(child, port, signal, output);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  // A supervisor sends SIGTERM to the process it started; Ctrl-C in a terminal sends SIGINT to the
  // whole foreground process group.
  it.each([
    ['SIGTERM', 'to npx'],
    ['SIGINT', 'to its process group, as Ctrl-C does'],
  ] as const)('npx session-api, sent %s %s', async (signal, to) => {
    // npx puts `sh -c session-api` between itself and node and forwards the signal to the shell
    // only, which dies without passing it on: the service must notice it was orphaned and drain.
    const dir = await mkdtemp(join(tmpdir(), 'session-api-npx-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'npx-user', version: '1.0.0', private: true }));
    await mkdir(join(dir, 'node_modules/.bin'), { recursive: true });
    await symlink(root, join(dir, 'node_modules/session-api'));
    await symlink('../session-api/dist/server/main.js', join(dir, 'node_modules/.bin/session-api'));
    await chmod(join(root, 'dist/server/main.js'), 0o755);
    const port = await freePort();
    const { child, output } = launch('npx', ['--no-install', 'session-api'], dir, port, { detached: true });
    try {
      await waitForStatus(port, '/ready', 200);
      const service = await serviceUnder(child.pid!);
      if (to === 'to npx') child.kill(signal);
      else process.kill(-child.pid!, signal);
      const until = Date.now() + 30_000;
      while (alive(service) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(alive(service), `node ${service} outlived npx`).toBe(false);
      expect(output()).toMatch(/"msg":"shutting down"/);
      expect(output()).toMatch(/"msg":"stopped"/);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
