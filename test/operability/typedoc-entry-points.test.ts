import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));

describe('npm run docs', () => {
  it('documents exactly the entry points of the exports map', () => {
    const exportsMap = read('package.json').exports as Record<string, string | { types: string; default: string }>;
    const fromExports = Object.values(exportsMap)
      .filter((target): target is { types: string; default: string } => typeof target === 'object')
      .map((target) => target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts'))
      .sort();
    expect([...read('typedoc.json').entryPoints].sort()).toEqual(fromExports);
  });

  it('puts types first in every export condition, as TypeScript requires', () => {
    for (const target of Object.values(read('package.json').exports as Record<string, unknown>)) {
      if (typeof target === 'object' && target !== null) expect(Object.keys(target)[0]).toBe('types');
    }
  });
});
