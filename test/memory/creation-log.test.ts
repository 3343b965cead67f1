import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreationLog } from '../../adapters/memory/creation-log.js';

interface Entry {
  readonly position: number;
  readonly version: number;
}

const listed = (log: CreationLog<Entry>, after = 0): Entry[] => [...log.after(after)];

describe('CreationLog', () => {
  // Thousands of steps, so that chunks fill, empty, compact and merge (a chunk holds 1024).
  it('holds what a sorted map of positions holds, through appends, rewrites and removals', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ kind: fc.constant('remove' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }), every: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('replace' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('removeMissing' as const), position: fc.integer({ min: -5, max: 20_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.array(fc.integer({ min: -1, max: 20_000 }), { maxLength: 5 }), (steps, cursors) => {
        const log = new CreationLog<Entry>();
        const model = new Map<number, Entry>();
        let next = 1;
        for (const s of steps) {
          if (s.kind === 'append') {
            for (let i = 0; i < s.count; i++) {
              const entry = { position: next++, version: 1 };
              log.append(entry);
              model.set(entry.position, entry);
            }
          } else if (s.kind === 'remove') {
            // Every `every`-th held entry in the first `fraction` of them: runs and scatters alike.
            const held = [...model.keys()];
            const end = Math.floor(held.length * s.fraction);
            for (let i = 0; i < end; i += s.every) {
              log.remove(held[i] as number);
              model.delete(held[i] as number);
            }
          } else if (s.kind === 'replace') {
            const held = [...model.values()];
            const old = held[s.pick % Math.max(1, held.length)];
            if (old === undefined) continue;
            const entry = { position: old.position, version: old.version + 1 };
            log.replace(entry);
            model.set(entry.position, entry);
          } else {
            if (!model.has(s.position)) log.remove(s.position);
          }
        }
        // Compaction keeps the cost near the entries held, whatever was removed.
        expect(log.slots).toBeLessThanOrEqual(2 * model.size + 1024);
        const expected = [...model.values()].sort((a, b) => a.position - b.position);
        expect(listed(log)).toEqual(expected);
        for (const cursor of cursors) expect(listed(log, cursor)).toEqual(expected.filter((e) => e.position > cursor));
      }),
      { numRuns: 60 },
    );
  });

  it('lists each entry held throughout exactly once when read in pages while entries come and go', () => {
    const log = new CreationLog<Entry>();
    let next = 1;
    const append = (): void => log.append({ position: next++, version: 1 });
    for (let i = 0; i < 5000; i++) append();
    const kept = new Set<number>();
    for (let p = 1; p < next; p += 7) kept.add(p);
    const seen: number[] = [];
    let cursor = 0;
    for (let page = 0; page < 1000; page++) {
      const taken = [];
      for (const entry of log.after(cursor)) {
        taken.push(entry.position);
        if (taken.length === 50) break;
      }
      if (taken.length === 0) break;
      seen.push(...taken);
      cursor = taken.at(-1) as number;
      // Between pages: remove entries on both sides of the cursor (but never a kept one), append more.
      for (let p = Math.max(1, cursor - 300); p < Math.min(next, cursor + 300); p++) if (!kept.has(p) && p % 3 === 0) log.remove(p);
      if (page < 50) for (let i = 0; i < 40; i++) append();
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const p of kept) expect(seen).toContain(p);
  });

  it('refuses an append that is not past the end, and a rewrite of an entry it does not hold', () => {
    const log = new CreationLog<Entry>();
    log.append({ position: 5, version: 1 });
    expect(() => log.append({ position: 5, version: 1 })).toThrow(RangeError);
    expect(() => log.replace({ position: 4, version: 2 })).toThrow(RangeError);
    log.remove(5);
    expect(() => log.replace({ position: 5, version: 2 })).toThrow(RangeError);
    expect(listed(log)).toEqual([]);
  });
});
