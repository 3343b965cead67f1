import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const dockerfiles = {
  'the session-api Dockerfile': '../../Dockerfile',
  'the pipeline Dockerfile': '../../definitions/promises/aws-dynamodb/pipeline/Dockerfile',
};

/** A Dockerfile's instructions, continuation lines joined, comments dropped. */
async function instructions(path: string): Promise<{ op: string; args: string }[]> {
  const text = await readFile(new URL(path, import.meta.url), 'utf8');
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of the last stage. */
function finalStage(all: { op: string; args: string }[]) {
  const lastFrom = all.map((i) => i.op).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

describe('both Dockerfiles', () => {
  for (const [name, path] of Object.entries(dockerfiles)) {
    it(`${name}: every stage on Node 22 (Node 20 reached end of life)`, async () => {
      const bases = (await instructions(path)).filter((i) => i.op === 'FROM').map((i) => i.args.split(' ')[0]);
      expect(bases.length).toBeGreaterThan(0);
      for (const base of bases) expect(base).toMatch(/^node:22-/);
    });

    it(`${name}: runs as a numeric non-root user and group, which runAsNonRoot can verify`, async () => {
      const users = finalStage(await instructions(path)).filter((i) => i.op === 'USER');
      expect(users.map((u) => u.args)).toEqual(['1000:1000']);
    });

    it(`${name}: installs from the lockfile (npm ci), never resolving afresh (npm install)`, async () => {
      const runs = (await instructions(path)).filter((i) => i.op === 'RUN').map((i) => i.args);
      expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
      for (const r of runs) expect(r).not.toMatch(/\bnpm (install|i|update)\b/);
    });
  }
});

describe('the session-api Dockerfile', () => {
  it('builds in stages and runs node itself on 8080', async () => {
    const all = await instructions('../../Dockerfile');
    expect(all.filter((i) => i.op === 'FROM').length).toBeGreaterThanOrEqual(2);
    const final = finalStage(all);
    expect(final.find((i) => i.op === 'EXPOSE')?.args).toBe('8080');
    // Exec form, so node is PID 1 and gets SIGTERM directly (no sh -c, no npm start).
    const cmd = final.filter((i) => i.op === 'CMD').at(-1)?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/server/main.js']);
    expect(final.some((i) => i.op === 'ENTRYPOINT')).toBe(false);
  });

  it('installs production dependencies only, with the storage drivers promoted', async () => {
    const all = await instructions('../../Dockerfile');
    const installs = all.filter((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args));
    const production = installs.filter((i) => i.args.includes('--omit=dev'));
    expect(production).toHaveLength(1);
    expect(production[0]?.args).toMatch(/promote-drivers\.mjs && npm ci --omit=dev /);
    // The final stage copies node_modules from the production install, not from the build.
    const copies = finalStage(all).filter((i) => i.op === 'COPY' && i.args.includes('node_modules'));
    expect(copies.map((c) => c.args)).toEqual(['--from=runtime-deps /app/node_modules ./node_modules']);
  });

  it('keeps secrets, dependencies and build output out of the context', async () => {
    const ignored = (await readFile(new URL('../../.dockerignore', import.meta.url), 'utf8')).split('\n').map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', 'dist', 'dist-bench', '.env', '.env.*', 'test']) expect(ignored).toContain(entry);
    // What the build compiles must stay in.
    for (const needed of ['core', 'adapters', 'transports', 'server', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(ignored).not.toContain(needed);
    }
    expect(ignored).toContain('!definitions/image');
    expect(ignored).toContain('!definitions/promises/aws-dynamodb/pipeline');
  });
});

describe("the image's promote-drivers script", () => {
  it('makes the storage drivers, and only they, dependencies at their locked versions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promote-drivers-'));
    try {
      for (const file of ['package.json', 'package-lock.json']) await cp(join(root, file), join(dir, file));
      await promisify(execFile)('node', [join(root, 'definitions', 'image', 'promote-drivers.mjs')], { cwd: dir });
      const before = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
      const after = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
      const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
      const promoted = Object.keys(after['dependencies'] ?? {}).filter((d) => !(d in (before['dependencies'] ?? {})));
      expect(promoted.sort()).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'ioredis']);
      for (const name of promoted) expect(after['dependencies']?.[name]).toBe(lock.packages[`node_modules/${name}`]?.version);
      // fast-check serves the published conformance suite, never the service.
      expect(after['dependencies']).not.toHaveProperty('fast-check');
      // The lockfile is untouched, so npm ci installs exactly what it pins.
      expect(await readFile(join(dir, 'package-lock.json'), 'utf8')).toBe(await readFile(join(root, 'package-lock.json'), 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the pipeline Dockerfile', () => {
  it('runs the compiled pipeline', async () => {
    const final = finalStage(await instructions('../../definitions/promises/aws-dynamodb/pipeline/Dockerfile'));
    expect(JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')?.args ?? '')).toEqual(['node', '/pipeline/main.js']);
  });
});
