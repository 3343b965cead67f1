import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The supported Node range is stated in four places; they must say the same thing. engines is
// the source: the README quotes it, CI tests each of its lines, and the image runs one of them.
const root = new URL('../..', import.meta.url).pathname;
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const ciMajors = [...read('.ci/run').matchAll(/node_bin (\d+)\)/g)].map((match) => match[1]);
const imageMajors = [...read('Dockerfile').matchAll(/^FROM node:(\d+)/gm)].map((match) => match[1]);

describe('the supported Node versions', () => {
  it('are quoted by the README as engines gives them', () => {
    expect(read('README.md')).toContain(`Node \`${engines}\``);
  });

  it('are each tested by CI, one line of engines per Node major', () => {
    expect(ciMajors.length).toBeGreaterThanOrEqual(2);
    for (const major of ciMajors) expect(engines).toMatch(new RegExp(`(^|[^0-9])${major}\\.`));
  });

  it('include the one the image runs, which CI tests', () => {
    expect(imageMajors.length).toBeGreaterThan(0);
    for (const major of imageMajors) expect(ciMajors).toContain(major);
  });

  it('each start where crypto.hash exists (20.12, 21.7), which server/node-sha256.ts needs', () => {
    const minimums = [...engines.matchAll(/(\d+)\.(\d+)\.\d+/g)].map((match) => [Number(match[1]), Number(match[2])] as const);
    expect(minimums.length).toBeGreaterThanOrEqual(2);
    for (const [major, minor] of minimums) expect(major === 20 ? minor >= 12 : major > 21 || (major === 21 && minor >= 7)).toBe(true);
  });
});
