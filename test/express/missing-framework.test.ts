import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Importing session-api/express where express-session is not installed says what to install.
 * The built modules (dist/, from `npm run build`, which `npm test` runs first) are copied into an
 * empty directory outside this project, where node finds no express-session, and imported there;
 * then the same copy with express-session linked in loads, so the absence is what the error is about.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const importShell = ['--input-type=module', '-e', "await import('./transports/express/index.js'); console.log('loaded')"];

describe('session-api/express without express-session', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'express-shell-'));
    await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
    for (const part of ['core', 'transports/session-bridge', 'transports/express']) {
      await cp(join(root, 'dist', part), join(dir, part), { recursive: true });
    }
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('fails with one error naming the package to install', async () => {
    const failed = await run(process.execPath, importShell, { cwd: dir }).then(
      () => undefined,
      (error: { stderr: string }) => error,
    );
    expect(failed?.stderr).toContain('session-api/express needs express-session, an optional peer dependency of session-api: npm i express-session');
  });

  it('loads once express-session is installed', async () => {
    // A link: node follows it to this project's copy and finds express-session's own dependencies beside it.
    await mkdir(join(dir, 'node_modules'));
    await symlink(join(root, 'node_modules', 'express-session'), join(dir, 'node_modules', 'express-session'), 'dir');
    const { stdout } = await run(process.execPath, importShell, { cwd: dir });
    expect(stdout.trim()).toBe('loaded');
  });
});
