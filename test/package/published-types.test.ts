import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What the published declarations (dist/, from `npm run build`) need from a user's install: every
 * package they import must come with session-api (a dependency) or be one the user chose (a peer
 * dependency), and must have types there. A devDependency's types (koa's were) break the user's
 * type check; the readme-snippets test shows it end to end, this names the import at fault.
 */

const root = new URL('../..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types?: string }>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** Every bare specifier the declarations reachable from `entry` import, with the file that does. */
function declarationImports(entry: string): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
      else found.set(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'), file.slice(root.length));
    }
  };
  visit(join(root, entry));
  return found;
}

/** Whether an installed package carries its own declarations (as TypeScript would find them). */
function shipsTypes(name: string): boolean {
  const dir = join(root, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (pkg['types'] !== undefined || pkg['typings'] !== undefined || existsSync(join(dir, 'index.d.ts'))) return true;
  // Otherwise a declaration file beside the JavaScript that `exports` or `main` points to.
  const targets = [JSON.stringify(pkg['exports'] ?? {}), String(pkg['main'] ?? '')].join(' ').match(/[\w./-]+\.[cm]?js/g) ?? [];
  return targets.some((target) => existsSync(join(dir, target.replace(/\.([cm]?)js$/, '.d.$1ts'))));
}

const entries = Object.entries(manifest.exports).flatMap(([path, target]) =>
  typeof target === 'object' && target.types !== undefined ? [[path, target.types] as const] : [],
);

describe('the published declarations', () => {
  it.each(entries)('of %s import only packages a user has, with types', (_path, types) => {
    const offences: string[] = [];
    for (const [name, file] of declarationImports(types)) {
      const provided = name in manifest.dependencies || name in manifest.peerDependencies;
      if (!provided) offences.push(`${file} imports ${name}, which is not a dependency or peer dependency`);
      // A framework without types of its own (express-session): its @types package is a peer as
      // optional as the framework, which a TypeScript user of that framework already has.
      else if (!shipsTypes(name) && !(`@types/${name}` in manifest.dependencies) && !(`@types/${name}` in manifest.peerDependencies)) {
        offences.push(`${file} imports ${name}, which has no types of its own and @types/${name} is not a dependency or peer dependency`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('of ./server expose no part of the Inversify composition root', () => {
    const server = manifest.exports['./server'];
    expect(typeof server === 'object' && declarationImports(server.types ?? '').has('inversify')).toBe(false);
  });
});
