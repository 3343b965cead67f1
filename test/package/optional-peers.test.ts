import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 16 item 6: importing a framework shell where its framework is not installed says which
 * package to install. The shells (and the core and bridge under them, which need no package) are
 * compiled into a directory of their own, outside this project's node_modules, and imported by a
 * plain node there: first with nothing installed, then with the framework linked in.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

const shells = [
  { entry: 'session-api/koa', file: 'transports/koa/index.js', needs: 'koa-session' },
  { entry: 'session-api/fastify', file: 'transports/fastify/index.js', needs: '@fastify/session' },
] as const;

/** What `node` says when it imports `file` in `dir`: `ok`, or the error's message. */
async function importIn(dir: string, file: string): Promise<string> {
  const script = `import(${JSON.stringify(`./${file}`)}).then(() => console.log('ok'), (error) => console.log(error.message))`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, timeout: 30_000 });
  return stdout.trim();
}

describe('a framework shell without its framework', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'optional-peers-'));
    // Transpiled only (no type check: typecheck does that), so it takes seconds, not a full build.
    await run(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), ...shells.map(({ file }) => join(root, file.replace(/\.js$/, '.ts'))),
        '--outDir', dir, '--rootDir', root, '--target', 'ES2023', '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
        '--noCheck', '--skipLibCheck', '--types', 'node'],
      { cwd: root, timeout: 110_000 },
    );
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  }, 120_000);
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it.each(shells)('importing $entry says to install $needs', async ({ entry, file, needs }) => {
    expect(await importIn(dir, file)).toBe(`${entry} needs ${needs}, an optional peer dependency of session-api: npm i ${needs}`);
  });

  it.each(shells)('importing $entry works once $needs is there', async ({ file, needs }) => {
    const linked = join(dir, 'node_modules', needs);
    await mkdir(join(linked, '..'), { recursive: true });
    await symlink(join(root, 'node_modules', needs), linked, 'dir');
    try {
      expect(await importIn(dir, file)).toBe('ok');
    } finally {
      await rm(linked);
    }
  });
});
