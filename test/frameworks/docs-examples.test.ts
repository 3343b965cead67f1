import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The koa and fastify examples of the docs type-check against the shells as they are (strict,
 * NodeNext, the real koa-session, fastify and @fastify/session types). Every ```ts block of
 * docs/framework-stores*.md that imports one of the shells, with `session-api/<entry>` pointed at
 * this project's sources; each block is a module of its own, as a reader would paste it.
 */

const root = new URL('../..', import.meta.url).pathname;
const ENTRIES: Record<string, string> = {
  koa: 'transports/koa/index.js',
  fastify: 'transports/fastify/index.js',
  memory: 'adapters/memory/index.js',
  redis: 'adapters/redis/index.js',
  dynamodb: 'adapters/dynamodb/index.js',
};

async function examples(): Promise<{ page: string; code: string }[]> {
  const pages = (await readdir(join(root, 'docs'))).filter((name) => /^framework-stores.*\.md$/.test(name));
  const found: { page: string; code: string }[] = [];
  for (const page of pages) {
    const text = await readFile(join(root, 'docs', page), 'utf8');
    for (const [, code = ''] of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      if (/from 'session-api\/(koa|fastify)'/.test(code)) found.push({ page, code });
    }
  }
  return found;
}

describe('the koa and fastify examples of the docs', () => {
  let dir: string;
  let found: { page: string; code: string }[];

  beforeAll(async () => {
    found = await examples();
    // Under the project's node_modules, so the frameworks resolve from there and the tree stays clean.
    await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
    dir = await mkdtemp(join(root, 'node_modules/.cache/docs-examples-'));
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('there is one for each shell', () => {
    expect(found.filter(({ code }) => code.includes("'session-api/koa'"))).toHaveLength(1);
    expect(found.filter(({ code }) => code.includes("'session-api/fastify'"))).toHaveLength(1);
  });

  it('type-check under strict NodeNext', async () => {
    const files: string[] = [];
    for (const [i, { code }] of found.entries()) {
      const file = join(dir, `example-${i + 1}.ts`);
      const local = code.replace(/from 'session-api\/([a-z]+)'/g, (_match, entry: string) => {
        const target = ENTRIES[entry];
        if (target === undefined) throw new Error(`no entry session-api/${entry}`);
        return `from '${relative(dir, join(root, target))}'`;
      });
      await writeFile(file, local);
      files.push(file);
    }
    const program = ts.createProgram(files, {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      types: ['node'],
      skipLibCheck: true,
      noEmit: true,
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file === undefined || files.includes(diagnostic.file.fileName))
      .map((diagnostic) => `${diagnostic.file?.fileName.slice(dir.length + 1) ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 120_000);
});
