import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

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

describe('the session-api Dockerfile', () => {
  it('builds in stages and runs node itself, as an unprivileged user, on 8080', async () => {
    const all = await instructions('../../Dockerfile');
    expect(all.filter((i) => i.op === 'FROM').length).toBeGreaterThanOrEqual(2);
    const final = finalStage(all);
    const user = final.find((i) => i.op === 'USER')?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
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
    expect(production[0]?.args).toContain('promote-drivers.mjs');
    // The final stage copies node_modules from the production install, not from the build.
    const copies = finalStage(all).filter((i) => i.op === 'COPY' && i.args.includes('node_modules'));
    expect(copies.map((c) => c.args)).toEqual(['--from=runtime-deps /app/node_modules ./node_modules']);
  });

  it('keeps secrets, dependencies and build output out of the context', async () => {
    const ignored = (await readFile(new URL('../../.dockerignore', import.meta.url), 'utf8')).split('\n').map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', 'dist', '.env', '.env.*', 'test']) expect(ignored).toContain(entry);
    // What the build compiles must stay in.
    for (const needed of ['core', 'adapters', 'transports', 'server', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(ignored).not.toContain(needed);
    }
    expect(ignored).toContain('!definitions/image');
    expect(ignored).toContain('!definitions/promises/aws-dynamodb/pipeline');
  });
});

describe('the pipeline Dockerfile', () => {
  it('runs the compiled pipeline as an unprivileged user', async () => {
    const final = finalStage(await instructions('../../definitions/promises/aws-dynamodb/pipeline/Dockerfile'));
    expect(final.find((i) => i.op === 'USER')?.args).toBe('node');
    expect(JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')?.args ?? '')).toEqual(['node', '/pipeline/main.js']);
  });
});
