import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

/**
 * `session-api/client` runs on the global fetch alone: its built files (dist/client, from
 * `npm run build`), copied to a folder with no node_modules at all, create and read a session
 * over a real port. An import of koa or zod that slipped into its JavaScript fails here.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

describe('session-api/client without the server\u2019s packages', () => {
  let work: string;
  let api: TestServer;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'client-alone-'));
    await cp(join(root, 'dist/client'), join(work, 'client'), { recursive: true, filter: (source) => !source.endsWith('.d.ts') && !source.endsWith('.map') });
    await writeFile(join(work, 'package.json'), '{"type":"module"}\n');
    api = await startTestServer(new MemorySessionStore());
  });
  afterAll(async () => {
    await api?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('creates and resolves a session with nothing but its own files', async () => {
    const script = [
      "import { createSessionClient } from './client/index.js';",
      'const client = createSessionClient({ baseUrl: process.argv[2] });',
      "const created = await client.create({ userId: 'alone', data: { a: 1 } });",
      'const session = await client.resolve(created.token);',
      'console.log(JSON.stringify({ same: session.id === created.id, data: session.data }));',
    ].join('\n');
    await writeFile(join(work, 'main.js'), script);
    const { stdout } = await run(process.execPath, ['main.js', api.url], { cwd: work });
    expect(JSON.parse(stdout)).toEqual({ same: true, data: { a: 1 } });
  });
});
