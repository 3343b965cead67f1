import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** What a file's imports name, as written (`../../core/index.js`, `koa`). */
function specifiersOf(file: string, which: 'all' | 'runtime' = 'all'): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:^|\s)(import|export)\s(type\s)?[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)]
    // `import type` is erased from the JavaScript (verbatimModuleSyntax): it loads nothing at run time.
    .filter((match) => which === 'all' || match[2] === undefined)
    .map((match) => match[3] ?? match[4] ?? '');
}

/** Every module a file imports, resolved to a project folder (`core`, `adapters/redis`) or a package name. */
function importsOf(file: string, which: 'all' | 'runtime' = 'all'): string[] {
  return specifiersOf(file, which).map((specifier) => {
    if (!specifier.startsWith('.')) return specifier.startsWith('node:') ? 'node:' : specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const target = relative(root, resolve(dirname(join(root, file)), specifier));
    const [top, sub] = target.split('/');
    return top === 'adapters' || top === 'transports' ? `${top}/${sub}` : (top ?? '');
  });
}

// Who may import what (ARCHITECTURE.md, "The dependency rule"). Anything not listed is refused.
const rules: { folder: string; allowed: (target: string, file: string) => boolean }[] = [
  { folder: 'core', allowed: (t) => t === 'core' },
  { folder: 'testing', allowed: (t) => t === 'core' || t === 'testing' || t === 'fast-check' },
  { folder: 'adapters/memory', allowed: (t) => ['core', 'adapters/memory', 'sorted-btree', 'node:'].includes(t) },
  { folder: 'adapters/redis', allowed: (t) => ['core', 'adapters/redis', 'ioredis', 'node:'].includes(t) },
  {
    folder: 'adapters/dynamodb',
    allowed: (t) => ['core', 'adapters/dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-dynamodb', 'node:'].includes(t),
  },
  // The bridge under the framework stores is framework-neutral: the core and nothing else.
  { folder: 'transports/session-bridge', allowed: (t) => ['core', 'transports/session-bridge'].includes(t) },
  // A framework's shell: the bridge, the core (types, errors) and its framework, nothing else.
  { folder: 'transports/express', allowed: (t) => ['core', 'transports/session-bridge', 'transports/express', 'express-session'].includes(t) },
  { folder: 'transports/koa', allowed: (t) => ['core', 'transports/session-bridge', 'transports/koa', 'koa-session'].includes(t) },
  { folder: 'transports/fastify', allowed: (t) => ['core', 'transports/session-bridge', 'transports/fastify', '@fastify/session', 'fastify'].includes(t) },
  // What the HTTP API and the webhooks both send, written once: the core and nothing else.
  { folder: 'transports/wire', allowed: (t) => ['core', 'transports/wire'].includes(t) },
  // Webhook delivery talks to the event log through the core's port and to receivers through fetch,
  // reading their Retry-After as the client does (the client loads nothing but itself; that rule
  // alone: see below).
  { folder: 'transports/webhooks', allowed: (t) => ['core', 'transports/wire', 'transports/webhooks', 'client', 'node:'].includes(t) },
  { folder: 'transports/http', allowed: (t) => ['core', 'transports/wire', 'transports/http', 'koa', 'zod', 'zod-openapi', 'raw-body', 'prom-client', 'node:'].includes(t) },
  // The client's types come from the server's schemas; its JavaScript runs on fetch alone (next test).
  { folder: 'client', allowed: (t) => ['client', 'transports/http', 'zod'].includes(t) },
];

describe('the dependency rule', () => {
  for (const { folder, allowed } of rules) {
    it(`${folder}/ imports only what it may`, () => {
      const offences = sourceFiles(folder).flatMap((file) =>
        importsOf(file)
          .filter((target) => !allowed(target, file))
          .map((target) => `${file} imports ${target}`),
      );
      expect(offences).toEqual([]);
    });
  }

  it('client/ loads nothing but itself at run time (type imports of the server are erased)', () => {
    const offences = sourceFiles('client').flatMap((file) =>
      importsOf(file, 'runtime')
        .filter((target) => target !== 'client')
        .map((target) => `${file} imports ${target} at run time`),
    );
    expect(offences).toEqual([]);
  });

  it('transports/webhooks/ takes nothing from client/ but its Retry-After rule', () => {
    const offences = sourceFiles('transports/webhooks').flatMap((file) =>
      specifiersOf(file)
        .map((specifier) => relative(root, resolve(dirname(join(root, file)), specifier)))
        .filter((target) => target.startsWith('client/') && target !== 'client/retry-after.js')
        .map((target) => `${file} imports ${target}`),
    );
    expect(offences).toEqual([]);
    expect(specifiersOf('transports/webhooks/webhook-attempt.ts')).toContain('../../client/retry-after.js');
  });

  it('only server/ imports inversify', () => {
    const offences = ['core', 'adapters', 'transports', 'testing', 'client']
      .flatMap(sourceFiles)
      .filter((file) => importsOf(file).includes('inversify'));
    expect(offences).toEqual([]);
  });

  it('nothing outside test/ imports test/', () => {
    const offences = ['core', 'adapters', 'transports', 'server', 'testing', 'bench', 'client']
      .flatMap(sourceFiles)
      .filter((file) => importsOf(file).includes('test'));
    expect(offences).toEqual([]);
  });

  it('the checker sees imports (it would catch a violation)', () => {
    expect(importsOf('transports/http/create-http-app.ts')).toContain('core');
    expect(importsOf('server/container.ts')).toContain('inversify');
    expect(importsOf('server/session-store-factory.ts')).toContain('adapters/memory');
    expect(importsOf('client/wire-types.ts')).toContain('transports/http');
    expect(importsOf('client/wire-types.ts', 'runtime')).toEqual([]);
  });
});
