import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedSpec, installPackages, packProject } from '../support/packed-package.js';

/**
 * Hardening item 19: the README's library snippet did not type-check in a fresh project, because
 * the published declarations import koa, whose types were a devDependency here. So: pack the
 * package, install exactly what the README's Install section lists into an empty strict NodeNext
 * project, and type-check every TypeScript snippet of the README there.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** The packages the Install section tells a library user to install, as written there. */
export function libraryInstalls(readme: string): { packages: string[]; dev: string[] } {
  const section = readme.slice(readme.indexOf('\n## Install\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const packages: string[] = [];
  const dev: string[] = [];
  for (const line of block.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/);
    if (words[0] !== 'npm' || words[1] !== 'i') continue;
    const names = words.slice(2).filter((word) => !word.startsWith('-'));
    (words.includes('-D') ? dev : packages).push(...names);
  }
  return { packages, dev };
}

/** Every ```ts block of the README, in order. */
export function typeScriptSnippets(readme: string): string[] {
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('the README, as a library user follows it', () => {
  let work: string;
  let project: string;
  let readme: string;

  beforeAll(async () => {
    readme = await readFile(join(root, 'README.md'), 'utf8');
    work = await mkdtemp(join(tmpdir(), 'readme-snippets-'));
    project = join(work, 'project');
    const tarball = await packProject(work);
    const { packages, dev } = libraryInstalls(readme);
    // The names are the README's; the versions are this project's, so npm finds them in its cache.
    const spec = (name: string): Promise<string> => (name === 'session-api' ? Promise.resolve(tarball) : installedSpec(name));
    await installPackages(project, await Promise.all(packages.map(spec)), {
      packageJson: { type: 'module' },
      dev: await Promise.all(dev.map(spec)),
    });
  }, 240_000);
  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('lists the package and every driver in its Install section', () => {
    const { packages, dev } = libraryInstalls(readme);
    expect(packages).toEqual(expect.arrayContaining(['session-api', 'ioredis', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']));
    expect(dev).toEqual(expect.arrayContaining(['typescript', '@types/node', 'fast-check']));
  });

  it('type-checks every TypeScript snippet under strict NodeNext, declarations included', async () => {
    const snippets = typeScriptSnippets(readme);
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    // One module per snippet, as a reader would paste each into a file of its own.
    await Promise.all(snippets.map((code, i) => writeFile(join(project, `snippet-${i + 1}.ts`), code)));
    const compilerOptions = {
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      noEmit: true,
      // With skipLibCheck a declaration that imports a package without types quietly turns into
      // `any`; the published declarations themselves are what this checks.
      skipLibCheck: false,
    };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['snippet-*.ts'] }));
    const result = await run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project }).then(
      () => 'no errors',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('no errors');
  }, 120_000);
});
