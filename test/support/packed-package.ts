import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The published package as a user gets it: `npm pack` of this project, installed into a fresh
 * project of its own. Shared by the tests that check what the package holds and how it runs.
 */

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

/** Offline from the npm cache wherever it can be; no install scripts run. */
export const npmInstallFlags = ['--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];

/**
 * Packs the project into `dir` and resolves with the tarball's path. It packs dist/ as built
 * (`npm test` builds first; run `npm run build` before one file): `prepare` would rebuild dist/
 * under the tests that are running the built bin at the same time.
 */
export async function packProject(dir: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  return join(dir, filename);
}

/** Options of {@link installPackages}. */
export interface InstallOptions {
  /** `--omit=dev`: what a production install gets. */
  readonly omitDev?: boolean;
  /** Fields of the new project's package.json besides its name (e.g. `type: 'module'`). */
  readonly packageJson?: Readonly<Record<string, unknown>>;
  /** Packages to install as devDependencies (`npm i -D`). */
  readonly dev?: readonly string[];
}

/** Creates an empty project in `dir` and installs `specs` (tarball paths or `name@range`) into it. */
export async function installPackages(dir: string, specs: readonly string[], options: InstallOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'packed-package-user', private: true, ...options.packageJson })}\n`);
  const omit = options.omitDev ? ['--omit=dev'] : [];
  await run('npm', ['install', ...omit, ...npmInstallFlags, ...specs], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  if (options.dev !== undefined && options.dev.length > 0) {
    await run('npm', ['install', '--save-dev', ...npmInstallFlags, ...options.dev], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  }
}

/**
 * `name@version` of the copy this project has installed, so that installing it elsewhere comes
 * from the npm cache instead of the registry (`name` alone may resolve to a newer release).
 */
export async function installedSpec(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return `${name}@${manifest.version}`;
}
